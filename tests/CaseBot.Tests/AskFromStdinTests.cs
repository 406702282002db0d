using System.Diagnostics;

namespace CaseBot.Tests;

/// <summary><c>casebot ask -</c> reads the question from standard input (issue 11 item 16).</summary>
public class AskFromStdinTests
{
    [Fact]
    public async Task Ask_dash_reads_the_question_from_standard_input()
    {
        var root = RepoPaths.Root;
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            WorkingDirectory = Directory.CreateTempSubdirectory("casebot-stdin").FullName,
        };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "casebot.dll"), "ask", "-", "--corpus", Path.Combine(root, "corpus"),
                     "--index", Directory.CreateTempSubdirectory("casebot-stdin-index").FullName })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardInput.Write("Who co-founded\nPalantir?\n");
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(p.ExitCode == 0, await error);
        Assert.Contains("Thiel", await output);
    }

}
