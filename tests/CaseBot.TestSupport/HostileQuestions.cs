using System.Text;

namespace CaseBot.TestSupport;

/// <summary>A seeded generator of hostile questions (and answers): random Unicode from every plane, lone surrogates,
/// Lucene syntax, control, zero-width and bidi characters, Markdown, Discord/Slack mention syntax, HTML, 100 KB strings.</summary>
public static class HostileQuestions
{
    /// <summary>Mention and markup syntax an answer must never echo from the question.</summary>
    public static readonly string[] NeverEchoed = ["@everyone", "@here", "<@", "<#", "<!channel>", "<script", "](http"];

    private static readonly string[] Lucene =
    [
        "title:palantir", "AND", "OR", "NOT", "&&", "||", "!", "+Met", "-Khan", "\"unclosed phrase", "\"Met Police\"~5", "palantir^100",
        "pal*", "p?lantir", "/reg[ex]+/", "[a TO z]", "{1 TO 9}", "(((", ")))", "\\", "field:", ":", "~", "^", "*:*", "?", "\"\"",
        "zzalias0 zzalias1", "doc:004", "kind:d", "stext:met", "title:(a OR b)", "\u0000", "NOT NOT NOT",
    ];

    private static readonly string[] Markup =
    [
        "@everyone", "@here", "<@123456789012345678>", "<@!123456789012345678>", "<#123456789012345678>", "<@&123456789012345678>",
        "<!channel>", "<!here>", "<!subteam^S123>", "**bold**", "__under__", "~~strike~~", "||spoiler||", "`code`", "```\nblock\n```",
        "> quote", "# heading", "[link](http://evil.example)", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
        "&lt;&amp;&gt;", "<https://evil.example|click>", ":skull:", "\\*not bold\\*",
    ];

    private static readonly string[] Invisible =
    [
        "\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u200E", "\u200F", "\u202A", "\u202B", "\u202C", "\u202D", "\u202E",
        "\u2066", "\u2067", "\u2068", "\u2069", "\u061C", "\u00AD", "\u034F", "\u180E",
    ];

    private static readonly string[] Words =
    [
        "Why", "did", "City", "Hall", "block", "the", "Palantir", "contract", "Met", "Police", "Khan", "£50", "million", "who", "when",
        "MOPAC", "Scotland", "Yard", "value", "for", "money", "?", "what", "not", "never", "un", "data",
    ];

    public static IEnumerable<string> Generate(int seed, int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++) yield return One(random, i);
    }

    /// <summary>Each generated string with another one from the same run beside it (question and answer, quote and
    /// title), and its index, so a failure names the input that caused it.</summary>
    public static IEnumerable<(int Index, string Hostile, string Other)> Pairs(int seed, int count)
    {
        var all = Generate(seed, count).ToArray();
        var random = new Random(seed);
        for (var i = 0; i < all.Length; i++) yield return (i, all[i], all[random.Next(all.Length)]);
    }

    private static string One(Random random, int i)
    {
        // Every 100th question is long (100 KB or more) so the full run stays CI-quick.
        if (i % 100 == 0) return Long(random);
        var parts = random.Next(1, 12);
        var sb = new StringBuilder();
        for (var p = 0; p < parts; p++)
        {
            sb.Append(random.Next(8) switch
            {
                0 => Pick(random, Lucene),
                1 => Pick(random, Markup),
                2 => Pick(random, Invisible),
                3 => RandomUnicode(random, random.Next(1, 20)),
                4 => ((char)random.Next(0, 32)).ToString(),
                5 => ((char)random.Next(0xD800, 0xE000)).ToString(), // a lone surrogate half
                _ => Pick(random, Words),
            });
            if (random.Next(3) > 0) sb.Append(random.Next(4) == 0 ? Pick(random, Invisible) : " ");
        }
        return sb.ToString();
    }

    private static string Long(Random random)
    {
        var sb = new StringBuilder(110_000);
        var kind = random.Next(4);
        while (sb.Length < 100_000)
        {
            sb.Append(kind switch
            {
                0 => "a",
                1 => Pick(random, Words) + " ",
                2 => Pick(random, Lucene) + Pick(random, Invisible),
                _ => RandomUnicode(random, 50),
            });
        }
        return sb.ToString();
    }

    private static string Pick(Random random, string[] from) => from[random.Next(from.Length)];

    /// <summary>Random scalar values from every plane that holds characters (astral ones as surrogate pairs).</summary>
    private static string RandomUnicode(Random random, int length)
    {
        var sb = new StringBuilder();
        for (var k = 0; k < length; k++)
        {
            int cp;
            do cp = random.Next(3) == 0 ? random.Next(0x10000, 0x110000) : random.Next(0x20, 0x10000);
            while (cp is >= 0xD800 and < 0xE000);
            sb.Append(char.ConvertFromUtf32(cp));
        }
        return sb.ToString();
    }
}
