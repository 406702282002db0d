using System.Text.RegularExpressions;

namespace CaseBot.Core.Answering.Questions;

/// <summary>What a question asks for. The concrete kinds (a name, a sum, a date) can carry a short answer; reasons,
/// manners, yes/no and descriptions are answered by the quote alone.</summary>
public enum AnswerType
{
    Description, Person, Organisation, Party, Role, Place, Money, Count, Percent, Date, Weekday, Year, Duration, Reason, Manner, YesNo,
    /// <summary>"How much does X get from Y": a count or, as often, a sum; "how many" asks for a count alone. Last, so
    /// the other kinds keep their numbers (the model's Kind input).</summary>
    Amount,
}

public static partial class AnswerTypes
{
    /// <summary>Kinds whose answer is a whole span a recogniser can find: only these get a bold short answer.</summary>
    public static bool IsConcrete(AnswerType t) => t is AnswerType.Person or AnswerType.Organisation or AnswerType.Party or AnswerType.Place
        or AnswerType.Money or AnswerType.Count or AnswerType.Amount or AnswerType.Percent or AnswerType.Date or AnswerType.Weekday or AnswerType.Year or AnswerType.Duration;

    /// <summary>Kinds whose candidates the recognisers find reliably (numbers, dates, parties): a sentence without one
    /// cannot answer.</summary>
    public static bool IsStrict(AnswerType t) => t is AnswerType.Money or AnswerType.Count or AnswerType.Amount or AnswerType.Percent or AnswerType.Date
        or AnswerType.Weekday or AnswerType.Year or AnswerType.Duration or AnswerType.Party;

    /// <summary>The kind in words, with its article, for an explanation: "a sum", "a weekday".</summary>
    public static string Describe(AnswerType t) => t switch
    {
        AnswerType.Money => "a sum",
        AnswerType.Amount => "a number or a sum",
        AnswerType.Count => "a count",
        AnswerType.Percent => "a percentage",
        AnswerType.Duration => "a duration",
        AnswerType.YesNo => "a yes or no",
        AnswerType.Organisation => "an organisation",
        _ => "a " + t.ToString().ToLowerInvariant(),
    };

    private const RegexOptions O = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    [GeneratedRegex(@"^(?:so\s+|and\s+|but\s+)?(is|are|was|were|do|does|did|can|could|has|have|had|will|would|should|shall|may|might|must)\b", O)]
    private static partial Regex YesNoStart();

    [GeneratedRegex(@"\b(what|which|who|whom|whose|when|where|why|how)\b", O)]
    private static partial Regex WhWord();

    [GeneratedRegex(@"\b(why|how come|what (?:was|is|were|are) the (?:reason|reasons|rationale|grounds|motive)|for what reason|on what grounds)\b", O)]
    private static partial Regex ReasonWords();

    [GeneratedRegex(@"\b(in|into) (?:(?:us|u\.s\.|american|british|uk)\s+)?(dollars|pounds|euros|sterling|usd|gbp|eur)\b|\bwhat (?:is|was|were|are) (?:the |it |that |this |their |its )?(?:[\w-]+\s+){0,4}?worth\b|\bhow much\b(?!\s+(?:faster|slower|more|less|longer|shorter|bigger|smaller|better|worse|time|data)\b)(?=.*\b(cost|costs|worth|spen[dt]|spending|price|paid|pay|paying|budget|valued|value|fund|funding|money|earmark|contract|deal|fine|salary|revenue|profit|raise|raised|sum|charge|business|contracts)\b)|\bwhat (?:was|is|were) the (?:cost|price|value|budget|fee|fine|sum)\b|\bhow many (?:dollars|pounds|euros|quid)\b", O)]
    private static partial Regex MoneyWords();

    [GeneratedRegex(@"\b(what (?:percentage|percent|proportion|share|fraction)|how many percent|what per ?cent)\b", O)]
    private static partial Regex PercentWords();

    [GeneratedRegex(@"\b(how long|for how long|over what (?:time ?frame|period|span)|what (?:time ?frame|period of time|duration)|how many (?:years|months|weeks|days|hours|minutes|decades|centuries))\b", O)]
    private static partial Regex DurationWords();

    [GeneratedRegex(@"\b(how many|what number)\b", O)]
    private static partial Regex CountWords();

    [GeneratedRegex(@"\b(what (?:amount|quantity)|how much(?!\s+(?:more|less|\w+er)\b))\b", O)]
    private static partial Regex AmountWords();

    [GeneratedRegex(@"\b(what|which|in what|in which) year\b", O)]
    private static partial Regex YearWords();

    [GeneratedRegex(@"\b(what|which|on what|on which) day(?: of the week)?\b", O)]
    private static partial Regex WeekdayWords();

    [GeneratedRegex(@"\b(when|what (?:date|month|time|century|decade)|which (?:date|month|century|decade)|on what date|since when|until when)\b", O)]
    private static partial Regex DateWords();

    [GeneratedRegex(@"\b(which|what) (?:political )?party\b", O)]
    private static partial Regex PartyWords();

    [GeneratedRegex(@"\b(what|which) (?:role|job|title|position|post|rank|office)\b|^\s*(?:and\s+)?who (?:is|was|'s) (?!the\b|a\b|an\b)(?![^?]*(?:['’]s\b|\bof\b|\bfor\b))(?=[\p{L}])", O)]
    private static partial Regex RoleWords();

    [GeneratedRegex(@"\b(which|what) (?:(?!(?:is|are|was|were|do|does|did|has|have|had|will|would|can|could|should|the|a|an)\b)[\w-]+ ){0,3}(?:company|companies|firm|firms|organi[sz]ations?|agency|agencies|body|bodies|group|groups|newspaper|paper|outlet|department|ministry|force|forces|institution|university|team|club|band|corporation|bank|party|government|authority|vendor|vendors|supplier|suppliers|business|businesses)\b(?!-|\s+[\w]+-[\w])", O)]
    private static partial Regex OrganisationWords();

    [GeneratedRegex(@"\b(who|whom|whose|which (?:person|man|woman|people|official|officer|executive|politician|minister|mp|leader|founder|author|writer|king|queen|president))\b", O)]
    private static partial Regex PersonWords();

    [GeneratedRegex(@"\b(where|what (?:country|city|place|region|state|town|continent|county|borough|location|area)|which (?:country|city|place|region|state|town|continent|county|borough|location|area))\b", O)]
    private static partial Regex PlaceWords();

    [GeneratedRegex(@"\bhow (?:do|does|did|is|was|are|were|can|could|would|will|should|has|have|had)\b|\bin what (?:way|manner)\b|\bby what means\b", O)]
    private static partial Regex MannerWords();

    [GeneratedRegex(@"\b(?:what|which)\s+(?:[\w-]+\s+)?(?:type|types|kind|kinds|sort|sorts)\s+of\b", O)]
    private static partial Regex KindWords();

    /// <summary>"What type of company is Van Gend en Loos?": a kind is asked for ("a postal company"), not a name.</summary>
    public static bool AsksForKind(string question) => KindWords().IsMatch(question);

    /// <summary>"When the mayor stepped in, what did he say …": a leading clause, then the real question.</summary>
    [GeneratedRegex(@"^(?:when|if|as|after|before|while|since|apart from|besides|other than)\b[^,?]{3,80},\s*(?=(?:so\s+|and\s+)?(?:what|which|who|whom|whose|when|where|why|how|is|are|was|were|did|does|do|can|could)\b)", O)]
    private static partial Regex LeadingClause();

    [GeneratedRegex(@"\b(?:which|what)\s+(?:(?!(?:is|are|was|were|do|does|did|has|have|had)\b)[\w-]+\s+){0,3}(?<noun>companies|firms|organi[sz]ations|agencies|bodies|groups|forces|vendors|suppliers|businesses|institutions|departments|ministries|people|officials|politicians|countries|cities)\b", O)]
    private static partial Regex SeveralWords();

    [GeneratedRegex(@"\b(?:which|what)\s+(?:(?!(?:is|are|was|were|do|does|did|has|have|had|the|a|an)\b)[\w-]+\s+){0,3}?(?<noun>company|firm|organi[sz]ation|agency|body|group|newspaper|paper|outlet|department|ministry|force|institution|university|team|club|corporation|bank|authority|vendor|supplier|business|person|man|woman|official|officer|executive|politician|minister|leader|country|city|town)\b(?!-)", O)]
    private static partial Regex FocusWords();

    /// <summary>"Which national newspaper broke the story?": the singular noun a question wanting a name asks to be
    /// named ("newspaper"), or null. "What type of company is Van Gend en Loos?" asks for a kind, not a name
    /// (<paramref name="asksForKind"/>, when the caller has already read it).</summary>
    public static string? FocusOf(string question, AnswerType type, bool? asksForKind = null) =>
        type is AnswerType.Person or AnswerType.Organisation or AnswerType.Place && !(asksForKind ?? AsksForKind(question)) && FocusWords().Match(question) is { Success: true } m
            ? m.Groups["noun"].Value.ToLowerInvariant() : null;

    /// <summary>"Which other UK police forces …": the plural noun of a question that asks for several names ("forces"),
    /// or null.</summary>
    public static string? SeveralOf(string question) => SeveralWords().Match(question) is { Success: true } m ? m.Groups["noun"].Value : null;

    /// <summary>The asked-for type of a normalised question.</summary>
    public static AnswerType Of(string question)
    {
        var q = LeadingClause().Replace(question.Trim(), "");
        if (YesNoStart().IsMatch(q) && !WhWord().IsMatch(q[..Math.Min(q.Length, 40)]))
            return AnswerType.YesNo;
        if (PartyWords().IsMatch(q)) return AnswerType.Party;
        if (PercentWords().IsMatch(q)) return AnswerType.Percent;
        if (DurationWords().IsMatch(q)) return AnswerType.Duration;
        if (MoneyWords().IsMatch(q)) return AnswerType.Money;
        if (CountWords().IsMatch(q)) return AnswerType.Count;
        if (AmountWords().IsMatch(q)) return AnswerType.Amount;
        if (YearWords().IsMatch(q)) return AnswerType.Year;
        if (WeekdayWords().IsMatch(q)) return AnswerType.Weekday;
        if (DateWords().IsMatch(q)) return AnswerType.Date;
        if (ReasonWords().IsMatch(q)) return AnswerType.Reason;
        if (RoleWords().IsMatch(q)) return AnswerType.Role;
        if (OrganisationWords().IsMatch(q)) return AnswerType.Organisation;
        if (PersonWords().IsMatch(q)) return AnswerType.Person;
        if (PlaceWords().IsMatch(q)) return AnswerType.Place;
        if (MannerWords().IsMatch(q)) return AnswerType.Manner;
        return AnswerType.Description;
    }
}
