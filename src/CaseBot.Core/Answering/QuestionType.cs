using System.Text.RegularExpressions;

namespace CaseBot.Core.Answering;

/// <summary>What kind of short answer a question asks for, read from its wh-words.</summary>
public enum AnswerKind { Other, Person, Date, Number, Money, Place }

public static partial class QuestionType
{
    [GeneratedRegex(@"\b(how (much|many|long|old|far|large|big|tall|high|often)|what (percentage|percent|proportion|number|amount)|what was the (population|size|number))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NumberWords();

    [GeneratedRegex(@"\b(when|what (year|date|day|month|century|decade|time|period)|which (year|century|day|month|decade)|in what year|on what date)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DateWords();

    [GeneratedRegex(@"\b(who|whom|whose|which (person|man|woman|company|firm|group|organi[sz]ation))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PersonWords();

    [GeneratedRegex(@"\b(where|what (country|city|place|region|state|town|continent)|which (country|city|place|region|state|town))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PlaceWords();

    [GeneratedRegex(@"\b(cost|worth|spen[dt]|price|paid|pay|budget|valued|value|fund|money|earmark)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MoneyWords();

    public static AnswerKind Of(string question)
    {
        if (NumberWords().IsMatch(question))
            return question.Contains("how much", StringComparison.OrdinalIgnoreCase) && MoneyWords().IsMatch(question)
                ? AnswerKind.Money
                : AnswerKind.Number;
        if (DateWords().IsMatch(question)) return AnswerKind.Date;
        if (PersonWords().IsMatch(question)) return AnswerKind.Person;
        if (PlaceWords().IsMatch(question)) return AnswerKind.Place;
        return AnswerKind.Other;
    }
}
