using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CaseBot.Tests;

/// <summary>
/// <c>casebot serve</c> failing to start, run as a self-hoster runs it (issue 11 item 12): one line on stderr saying what
/// to change, an exit code per cause, no stack trace unless <c>--verbose</c>, and no configured secret in the output.
/// </summary>
public class ServeStartupTests
{
    private const string Secret = "admin-token-secret-0123456789abcdef";
    private static readonly string Corpus = RepoPaths.Corpus;

    [Fact]
    public void A_missing_corpus_folder_without_an_index_is_one_line_and_exit_3()
    {
        var (code, output) = Serve($"--CaseBot:CorpusPath={Path.Combine(Scratch(), "no-such-corpus")}", $"--CaseBot:IndexPath={Scratch()}/index");

        Assert.Equal(3, code);
        AssertOneLine(output, "CaseBot__CorpusPath");
    }

    [Fact]
    public void A_port_in_use_is_one_line_naming_the_address_and_exit_5()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (code, output) = Serve($"--CaseBot:CorpusPath={Corpus}", $"--CaseBot:IndexPath={Scratch()}", $"--Web:Urls=http://127.0.0.1:{port}");

        Assert.Equal(5, code);
        AssertOneLine(output, $"127.0.0.1:{port}", "Web__Urls");
    }

    [Fact]
    public void An_unwritable_index_folder_is_one_line_naming_it_and_exit_4_and_verbose_adds_the_trace()
    {
        var index = Scratch();
        using (Unwritable.Make(index))
        {
            var (code, output) = Serve($"--CaseBot:CorpusPath={Corpus}", $"--CaseBot:IndexPath={index}");
            Assert.Equal(4, code);
            AssertOneLine(output, index, "writable", "CaseBot__IndexPath");

            var (verboseCode, verbose) = Serve("--verbose", $"--CaseBot:CorpusPath={Corpus}", $"--CaseBot:IndexPath={index}");
            Assert.Equal(4, verboseCode);
            Assert.Contains("   at ", verbose);
            Assert.DoesNotContain(Secret, verbose);
        }
    }

    /// <summary>stderr (and stdout: the log) hold exactly one error line, no trace, no secret.</summary>
    private static void AssertOneLine(string output, params string[] mentions)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("casebot serve:", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(lines);
        foreach (var m in mentions) Assert.Contains(m, line);
        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotContain("Exception", output.Replace(line, ""));
        Assert.DoesNotContain(Secret, output);
    }

    private static (int Code, string Output) Serve(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Scratch() };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "casebot.dll"));
        psi.ArgumentList.Add("serve");
        foreach (var a in args.Append("--Moderation:WatchCorpus=false").Append($"--Web:AdminToken={Secret}")) psi.ArgumentList.Add(a);
        if (!args.Any(a => a.StartsWith("--Web:Urls", StringComparison.Ordinal))) psi.ArgumentList.Add("--Web:Urls=http://127.0.0.1:0");
        foreach (var name in new[] { "CaseBot__CorpusPath", "CaseBot__IndexPath", "DISCORD_TOKEN", "Discord__Token", "SLACK_BOT_TOKEN",
                                     "Slack__BotToken", "SLACK_APP_TOKEN", "Slack__AppToken" })
            psi.Environment.Remove(name);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("casebot serve did not stop: " + string.Join(' ', args));
        }
        return (p.ExitCode, output.Result + "\n" + error.Result);
    }

    private static string Scratch()
    {
        var dir = Path.Combine(Path.GetTempPath(), "casebot-serve-startup", Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        return dir;
    }

}

/// <summary>
/// A reindex by the <c>casebot reindex</c> process reaches an engine running in this process, and the build this
/// process still answers from survives that other process's sweep (real cross-process file locks).
/// </summary>
public class CrossProcessReindexTests
{
    [Fact]
    public void A_build_held_here_survives_reindexes_by_another_process_and_the_engine_follows_the_pointer()
    {
        var root = Path.Combine(Path.GetTempPath(), "casebot-xproc", Guid.NewGuid().ToString("N")[..10]);
        var corpus = Path.Combine(root, "corpus");
        var index = Path.Combine(root, "index");
        Directory.CreateDirectory(corpus);
        foreach (var f in Directory.GetFiles(RepoPaths.Corpus)) File.Copy(f, Path.Combine(corpus, Path.GetFileName(f)));
        using var engine = Core.CaseBotService.Open(new Core.CaseBotOptions { CorpusPath = corpus, IndexPath = index });
        var held = engine.AcquireIndex(); // a question in flight
        var heldBuild = held.Index.Build;

        File.WriteAllText(Path.Combine(corpus, "005_zebra.txt"), "Zebra crossings outside City Hall were repainted in purple in June.");
        Assert.Equal(0, Reindex(corpus, index));
        File.WriteAllText(Path.Combine(corpus, "006_more.txt"), "Another short article about the Met.");
        Assert.Equal(0, Reindex(corpus, index));

        Assert.True(Directory.Exists(Path.Combine(index, heldBuild)), "the other process deleted a build in use here");
        Assert.True(engine.RefreshFromStore());
        Assert.Equal(7, engine.Documents.Count);
        Assert.True(engine.Ask("What colour were the zebra crossings repainted?").Answered);
        held.Dispose();
        Assert.True(held.Index.IsClosed);
        Assert.Equal(0, Reindex(corpus, index)); // the next sweep, by the other process, may now remove it
        Assert.False(Directory.Exists(Path.Combine(index, heldBuild)));
    }

    private static int Reindex(string corpus, string index)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "casebot.dll"), "reindex", "--corpus", corpus, "--index", index })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        if (!p.WaitForExit(120_000)) { p.Kill(entireProcessTree: true); throw new TimeoutException("casebot reindex"); }
        return p.ExitCode;
    }

}
