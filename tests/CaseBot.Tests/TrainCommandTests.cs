namespace CaseBot.Tests;

public class TrainCommandTests
{
    /// <summary>
    /// The shipped model is data written by <c>casebot train</c>, not hand-edited: the README's training command, run
    /// on a clean checkout, writes it again byte for byte (the trainer is deterministic: fixed folds, no sampling).
    /// It takes a few minutes: a full cross-validated fit on the case questions and the SQuAD yardstick. Byte for byte on
    /// the same kind of CPU: the question encoder's int8 products differ between VNNI and AVX2-only machines.
    /// </summary>
    [Fact]
    public void The_readme_training_command_writes_the_shipped_model_byte_for_byte()
    {
        var root = RepoPaths.Root;
        var written = Path.Combine(CasebotCli.Scratch(), "engine-model.json");
        var (code, output, error) = CasebotCli.Run(TimeSpan.FromMinutes(7),
        [
            "train", "--corpus", Path.Combine(root, "corpus"),
            "--case-questions", Path.Combine(root, "eval", "case-dev.jsonl"), Path.Combine(root, "eval", "case-chat-dev.jsonl"),
            "--yardstick-corpus", Path.Combine(root, "eval", "squad2-dev", "corpus"),
            "--yardstick-questions", Path.Combine(root, "eval", "squad2-dev", "questions.jsonl"),
            "--out", written,
        ]);
        Assert.True(code == 0, $"train exited {code}: {error}");
        Assert.Contains("threshold", output);
        var shipped = File.ReadAllText(Path.Combine(root, "src", "CaseBot.Core", "Answering", "Models", "engine-model.json"));
        Assert.True(shipped == File.ReadAllText(written), "the shipped engine-model.json is not what `casebot train` writes from eval/: retrain (README) and commit the file " +
            "(a CPU with other int8 instructions, VNNI or AVX2 alone, encodes questions a little differently: README, 'The figures depend on the CPU')");
    }
}
