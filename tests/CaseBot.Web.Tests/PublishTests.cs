using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CaseBot.Web.Tests.Support;

namespace CaseBot.Web.Tests;

/// <summary>
/// No Docker engine runs here, so this does what the image does: publish like the Dockerfile's build stage, then
/// start the output with the Dockerfile's ENV, ENTRYPOINT and CMD (paths under /app and /data mapped to temp
/// folders; Web__Urls moved from http://+:8080 to a free loopback port), run its HEALTHCHECK command, ask a
/// question, and stop it with SIGTERM.
/// </summary>
[Trait("Category", "Slow")]
public sealed partial class PublishTests : IDisposable
{
    private readonly string _scratch = RepoPaths.NewTempFolder("casebot-publish");

    public void Dispose() => RepoPaths.DeleteQuietly(_scratch);

    [Fact]
    public async Task Published_app_started_like_the_Dockerfile_serves_healthz_and_answers()
    {
        var docker = Dockerfile.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "Dockerfile")));
        Assert.Contains("-c Release", docker.PublishCommand);

        var app = Path.Combine(_scratch, "app");
        var publish = await RunAsync("dotnet", ["publish", "src/CaseBot/CaseBot.csproj", "-c", "Release", "-o", app, "--nologo"],
            RepoPaths.Root, TimeSpan.FromMinutes(5));
        Assert.True(publish.ExitCode == 0, "dotnet publish failed:\n" + publish.Output);
        Assert.True(File.Exists(Path.Combine(app, "appsettings.json")), "appsettings.json is not in the publish output");

        // The image bakes corpus/ into /data/corpus.
        var data = Path.Combine(_scratch, "data");
        RepoPaths.CopyFolder(RepoPaths.Corpus, Path.Combine(data, "corpus"));
        Directory.CreateDirectory(Path.Combine(data, "index"));
        var port = FreePort();
        string Map(string value) => value.Replace("/app/", app + "/").Replace("/data/", data + "/")
            .Replace("http://+:8080", $"http://127.0.0.1:{port}").Replace("http://127.0.0.1:8080", $"http://127.0.0.1:{port}");

        var env = docker.Env.ToDictionary(kv => kv.Key, kv => Map(kv.Value));
        Assert.Equal(Path.Combine(data, "corpus"), env["CaseBot__CorpusPath"]);
        Assert.Equal(Path.Combine(data, "index"), env["CaseBot__IndexPath"]);
        Assert.Equal("http://+:8080", docker.Env["Web__Urls"]);
        Assert.Equal("8080", docker.Expose);

        var command = docker.Entrypoint.Concat(docker.Cmd).Select(Map).ToList();
        Assert.Equal(["dotnet", Path.Combine(app, "casebot.dll"), "serve"], command);
        using var server = Start(command, env, _scratch);
        var log = new StringBuilder();
        server.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        server.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        string Log() { lock (log) return log.ToString(); }

        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            await WaitForHealthyAsync(http, server, Log);

            var health = await RunAsync(docker.HealthCheck[0], docker.HealthCheck.Skip(1).Select(Map).ToList(), _scratch, TimeSpan.FromSeconds(60), env);
            Assert.True(health.ExitCode == 0, "HEALTHCHECK command failed:\n" + health.Output);

            var answer = JsonDocument.Parse(await http.GetStringAsync("/api/ask?q=" + Uri.EscapeDataString("Who co-founded Palantir?"))).RootElement;
            Assert.True(answer.GetProperty("answered").GetBoolean(), answer.ToString());
            Assert.Matches(@"^\[\d{3}\] ", answer.GetProperty("text").GetString());
            Assert.Contains("Peter Thiel", answer.GetProperty("text").GetString());
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/")).StatusCode);

            // SIGTERM: a clean stop with exit code 0.
            using (var kill = Process.Start("kill", ["-TERM", server.Id.ToString()])) await kill.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(server.ExitCode == 0, $"exit code {server.ExitCode} after SIGTERM:\n{Log()}");
            Assert.Contains("Index ready: 5 documents", Log());
            Assert.Contains("No chat platform is configured", Log());

            var unhealthy = await RunAsync(docker.HealthCheck[0], docker.HealthCheck.Skip(1).Select(Map).ToList(), _scratch, TimeSpan.FromSeconds(60), env);
            Assert.Equal(1, unhealthy.ExitCode);
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
        }
    }

    private static async Task WaitForHealthyAsync(HttpClient http, Process server, Func<string> log)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(server.HasExited, "casebot serve exited early:\n" + log());
            try
            {
                if ((await http.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > deadline) Assert.Fail("no /healthz within 60 s:\n" + log());
            await Task.Delay(200);
        }
    }

    private static Process Start(IReadOnlyList<string> command, IReadOnlyDictionary<string, string> env, string workingDirectory)
    {
        var info = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in command.Skip(1)) info.ArgumentList.Add(arg);
        foreach (var (key, value) in env) info.Environment[key] = value;
        return Process.Start(info)!;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, IReadOnlyList<string> args, string workingDirectory,
        TimeSpan timeout, IReadOnlyDictionary<string, string>? env = null)
    {
        using var process = Start([file, .. args], env ?? new Dictionary<string, string>(), workingDirectory);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The parts of the Dockerfile this test replays.</summary>
    private sealed record Dockerfile(
        string PublishCommand, Dictionary<string, string> Env, string Expose, List<string> Entrypoint, List<string> Cmd, List<string> HealthCheck)
    {
        public static Dockerfile Parse(string text)
        {
            var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
            // Only the runtime stage's instructions count.
            var runtime = lines.SkipWhile(l => !(l.StartsWith("FROM ") && l.Contains("aspnet:"))).ToList();
            static List<string> Exec(string json) => JsonSerializer.Deserialize<List<string>>(json)!;
            var env = runtime.Where(l => l.StartsWith("ENV ")).Select(l => l[4..].Split('=', 2))
                .ToDictionary(p => p[0].Trim(), p => p[1].Trim());
            var health = runtime.Single(l => l.StartsWith("HEALTHCHECK "));
            return new Dockerfile(
                lines.Single(l => l.StartsWith("RUN dotnet publish")),
                env,
                runtime.Single(l => l.StartsWith("EXPOSE "))[7..].Trim(),
                Exec(runtime.Single(l => l.StartsWith("ENTRYPOINT "))[11..]),
                Exec(runtime.Single(l => l.StartsWith("CMD "))[4..]),
                Exec(HealthCmd().Match(health).Groups[1].Value));
        }
    }

    [GeneratedRegex(@"\sCMD\s+(\[.*\])\s*$")]
    private static partial Regex HealthCmd();
}
