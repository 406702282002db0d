using System.Text.RegularExpressions;
using CaseBot.Core.Answering.Questions;
using CaseBot.Core.Answering.Resources;

namespace CaseBot.Core.Answering.Candidates;

/// <summary>A typed candidate answer inside a sentence: a sum with its currency, a date, a name… Always a slice of the text.</summary>
public readonly record struct TypedSpan(AnswerType Type, int Start, int Length, string Text, char Currency = '\0')
{
    /// <summary>The span's words as <see cref="QuestionContext.WordPattern"/> reads them, found once: the features ask of
    /// every candidate sentence's spans, for every question, whether the question already says all of them. Set by
    /// <see cref="Cut"/>, the one way spans are made.</summary>
    public string[] Words { get; private init; } = [];

    // Words follow from Text: equality stays the positional members' (an array would compare by reference).
    public bool Equals(TypedSpan other) =>
        Type == other.Type && Start == other.Start && Length == other.Length && Text == other.Text && Currency == other.Currency;

    public override int GetHashCode() => HashCode.Combine(Type, Start, Length, Text, Currency);

    /// <summary>The span of <paramref name="length"/> characters at <paramref name="start"/> of <paramref name="text"/>.</summary>
    public static TypedSpan Cut(AnswerType type, string text, int start, int length, char currency = '\0')
    {
        var slice = text.Substring(start, length);
        return new TypedSpan(type, start, length, slice, currency) { Words = QuestionContext.WordPattern().Matches(slice).Select(w => w.Value).ToArray() };
    }
}

/// <summary>
/// Recognises typed candidates in a passage: money with its currency, percentages, durations, counts, dates,
/// weekdays, years, and capitalised names sorted into parties, organisations and people. Patterns and word lists
/// are general English; nothing about one corpus.
/// </summary>
public static partial class TypedSpans
{
    private const string Month = "(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\\.?";
    private const string Scale = @"(?:\s?(?:million|billion|trillion|thousand|bn|m|k)\b)?";
    private const string NumberWord = "(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fifteen|twenty|thirty|forty|fifty|sixty|hundred|a few|several|a dozen|dozens of|hundreds of|thousands of)";

    [GeneratedRegex(@"(?<sym>[£$€¥])\s?\d[\d,]*(?:\.\d+)?" + Scale + @"|\d[\d,]*(?:\.\d+)?" + Scale + @"\s(?<word>pounds|dollars|euros|pence|cents|yen)\b|\b(?:tens|hundreds) of (?:millions|billions|thousands)(?: of (?:pounds|dollars|euros))?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Money();

    [GeneratedRegex(@"\b\d+(?:\.\d+)?\s?(?:%|per ?cent\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Percent();

    [GeneratedRegex(@"\b(?:\d+(?:\.\d+)?|" + NumberWord + @")(?:[\s\-]+(?:and a half\s+)?)(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|century)\b|\bfrom (?:seconds|minutes|hours|days|weeks|months|years) to (?:seconds|minutes|hours|days|weeks|months|years)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Duration();

    [GeneratedRegex(@"\b" + Month + @"\s\d{1,2}(?:st|nd|rd|th)?(?:,?\s\d{4})?\b|\b\d{1,2}(?:st|nd|rd|th)?\s" + Month + @"(?:,?\s\d{4})?\b|\b" + Month + @"\s\d{4}\b|\b\d{1,2}(?:st|nd|rd|th) century\b", RegexOptions.CultureInvariant)]
    private static partial Regex Date();

    [GeneratedRegex(@"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Weekday();

    [GeneratedRegex(@"\b(?:1[0-9]|20)\d{2}s?\b", RegexOptions.CultureInvariant)]
    private static partial Regex Year();

    [GeneratedRegex(@"\b\d[\d,]*(?:\.\d+)?(?:\s(?:million|billion|thousand|hundred))?\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundreds|thousands|millions|dozens)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Count();

    [GeneratedRegex(@"\b\p{Lu}[\p{L}\p{M}'’.\-]*(?:\s+(?:(?:of|the|de|la|le|von|van|der|du|and|for|al|bin)\s+)*\p{Lu}[\p{L}\p{M}'’.\-]*)*", RegexOptions.CultureInvariant)]
    private static partial Regex Name();

    private static readonly HashSet<string> Parties = new(WordLists.Lines("parties.txt"), StringComparer.OrdinalIgnoreCase);
    /// <summary>Titles between a party and a name ("Labour MP Stella Creasy").</summary>
    private static readonly HashSet<string> Titles = new(StringComparer.Ordinal) { "MP", "MPs", "MEP", "MSP", "AM", "Councillor", "Cllr", "Senator", "Rep", "Lord", "Baroness", "Minister" };

    private static readonly HashSet<string> OrganisationWords = new(WordLists.Words("organisation-words.txt"), StringComparer.OrdinalIgnoreCase);

    /// <summary>Capitalised words that open sentences or clauses without naming anything.</summary>
    private static readonly HashSet<string> NotNames = new(StringComparer.Ordinal)
    {
        "The", "A", "An", "In", "On", "At", "It", "Its", "This", "That", "These", "Those", "He", "She", "They", "We", "I", "But", "And", "Or",
        "However", "While", "When", "After", "Before", "As", "If", "For", "With", "By", "From", "Some", "Many", "Critics", "Supporters",
        "Consequently", "Meanwhile", "Although", "Published", "Mr", "Mrs", "Ms", "Dr", "Sir", "His", "Her", "Their", "Our", "There",
    };

    public static List<TypedSpan> Find(string text)
    {
        var spans = new List<TypedSpan>();
        var taken = new bool[text.Length];
        void Add(AnswerType type, Match m, char currency = '\0') => AddSlice(type, m.Index, m.Length, currency);
        void AddSlice(AnswerType type, int start, int length, char currency = '\0')
        {
            while (length > 0 && text[start + length - 1] is '.' or ',' or '’' or '\'' or '-') length--;
            if (length > 2 && text[start + length - 1] == 's' && text[start + length - 2] is '’' or '\'') length -= 2; // possessive
            while (length > 0 && text[start + length - 1] is '.' or ',' or '’' or '\'' or '-') length--;
            if (length == 0) return;
            for (var i = start; i < start + length; i++) if (taken[i]) return;
            for (var i = start; i < start + length; i++) taken[i] = true;
            spans.Add(TypedSpan.Cut(type, text, start, length, currency));
        }
        foreach (Match m in Money().Matches(text))
        {
            var currency = m.Groups["sym"].Success ? m.Groups["sym"].Value[0]
                : m.Groups["word"].Success ? m.Groups["word"].Value.ToLowerInvariant() switch { "pounds" or "pence" => '£', "dollars" or "cents" => '$', "euros" => '€', _ => '¥' }
                : '\0';
            Add(AnswerType.Money, m, currency);
        }
        foreach (Match m in Percent().Matches(text)) Add(AnswerType.Percent, m);
        foreach (Match m in Date().Matches(text)) Add(AnswerType.Date, m);
        foreach (Match m in Duration().Matches(text)) Add(AnswerType.Duration, m);
        foreach (Match m in Weekday().Matches(text)) Add(AnswerType.Weekday, m);
        foreach (Match m in Year().Matches(text)) Add(AnswerType.Year, m);
        foreach (Match m in Count().Matches(text)) Add(AnswerType.Count, m);
        foreach (Match m in Name().Matches(text))
        {
            var value = m.Value;
            var words = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var skip = 0;
            while (skip < words.Length && NotNames.Contains(WithoutPossessive(words[skip]))) skip++;
            if (skip == words.Length) continue;
            var start = skip == 0 ? m.Index : m.Index + value.IndexOf(words[skip], StringComparison.Ordinal);
            var name = text[start..(m.Index + m.Length)];
            var nameWords = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // "Metropolitan Police and US": two names joined by "and", the second an acronym; keep the first.
            var and = name.LastIndexOf(" and ", StringComparison.Ordinal);
            if (and > 0 && IsAcronym(name[(and + 5)..]))
            {
                name = name[..and];
                nameWords = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            }
            // "Labour MP Stella Creasy": a party, then (after a title) the person.
            var partyWords = nameWords.Length > 1 && Parties.Contains(nameWords[0] + " " + nameWords[1]) ? 2 : Parties.Contains(nameWords[0]) ? 1 : 0;
            if (partyWords > 0 && partyWords < nameWords.Length)
            {
                var partyLength = partyWords == 1 ? nameWords[0].Length : nameWords[0].Length + 1 + nameWords[1].Length;
                AddSlice(AnswerType.Party, start, partyLength);
                var rest = nameWords.Skip(partyWords).SkipWhile(w => Titles.Contains(w)).ToArray();
                if (rest.Length == 0) continue;
                var end = start + name.Length;
                start += name.IndexOf(rest[0], partyLength, StringComparison.Ordinal);
                name = text[start..end];
                nameWords = rest;
            }
            // A lone capitalised word at the very start of a sentence is mostly an ordinary word.
            if (start == 0 && nameWords.Length == 1 && !IsAcronym(name)) continue;
            var type = Parties.Contains(name) ? AnswerType.Party
                : nameWords.Any(w => OrganisationWords.Contains(w.TrimEnd('’', '\'', 's', '.'))) || IsAcronym(name) ? AnswerType.Organisation
                : nameWords.Length >= 2 && nameWords.Length <= 4 ? AnswerType.Person
                : AnswerType.Place; // a lone capitalised word: a place or an organisation; both count as a name
            AddSlice(type, start, name.Length);
        }
        spans.Sort((a, b) => a.Start.CompareTo(b.Start));
        return spans;
    }

    /// <summary>Whether a span of type <paramref name="found"/> can answer a question asking for <paramref name="wanted"/>.</summary>
    public static bool Answers(AnswerType wanted, AnswerType found) => wanted switch
    {
        AnswerType.Money => found == AnswerType.Money,
        AnswerType.Count => found is AnswerType.Count or AnswerType.Percent, // "how many officers" is not answered by a sum
        AnswerType.Amount => found is AnswerType.Count or AnswerType.Money or AnswerType.Percent,
        AnswerType.Percent => found == AnswerType.Percent,
        AnswerType.Duration => found == AnswerType.Duration,
        AnswerType.Date => found is AnswerType.Date or AnswerType.Year or AnswerType.Weekday,
        AnswerType.Year => found is AnswerType.Year or AnswerType.Date,
        AnswerType.Weekday => found is AnswerType.Weekday or AnswerType.Date,
        AnswerType.Party => found == AnswerType.Party,
        AnswerType.Person => found is AnswerType.Person or AnswerType.Organisation or AnswerType.Place,
        AnswerType.Organisation => found is AnswerType.Organisation or AnswerType.Place or AnswerType.Person,
        AnswerType.Place => found is AnswerType.Place or AnswerType.Organisation,
        _ => false,
    };

    /// <summary>"Khan’s" → "Khan"; "This" stays "This" (trimming every trailing s would make it "Thi").</summary>
    private static string WithoutPossessive(string word) =>
        word.EndsWith("’s", StringComparison.Ordinal) || word.EndsWith("'s", StringComparison.Ordinal) ? word[..^2] : word;

    internal static bool IsAcronym(string s) => s.Length is >= 2 and <= 6 && s.All(c => char.IsUpper(c) || c == '.');
}
