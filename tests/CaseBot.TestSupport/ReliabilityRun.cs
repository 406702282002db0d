namespace CaseBot.TestSupport;

/// <summary>What issue 11's seeded fault runs and load runs share, so each adapter's run is the same experiment.</summary>
public static class ReliabilityRun
{
    public const int Seed = 20261130;

    /// <summary>Faults in one fault run: 100 by default, <c>CASEBOT_FAULTS</c> to change it.</summary>
    public static int FaultCount =>
        int.TryParse(Environment.GetEnvironmentVariable("CASEBOT_FAULTS"), out var n) && n > 0 ? n : 100;

    /// <summary>Questions in a load run, and how many are in flight at a time.</summary>
    public const int LoadTotal = 1000;
    public const int LoadInFlight = 50;

    /// <summary>What a load run asks (each with <c>#n</c> appended): answered, declined, and one only the document
    /// written half-way (<see cref="NewDocumentText"/>) answers.</summary>
    public static readonly string[] LoadQuestions =
    [
        "Why did City Hall block the Palantir contract?", "Who co-founded Palantir?", "What did Louis Mosley say?",
        "How much was the contract worth?", "Which police force signed with Palantir?", "What colour were the zebra crossings repainted?",
    ];

    public const string NewDocumentFile = "005_zebra.txt";
    public const string NewDocumentText = "Zebra crossings outside City Hall were repainted in purple in June.";
}
