using System.Diagnostics;

namespace CaseBot.TestSupport;

/// <summary>
/// Makes a folder unwritable for CaseBot: mode 0555 for an ordinary user; for root (who ignores modes, as in CI
/// containers) the immutable attribute; for root without CAP_LINUX_IMMUTABLE (Docker's default capabilities) a
/// regular file where CaseBot must create its <c>leases</c> folder, which fails the same way at the first write.
/// Disposing restores the folder.
/// </summary>
public sealed class Unwritable : IDisposable
{
    private readonly string _folder;
    private readonly string _how;

    private Unwritable(string folder, string how) => (_folder, _how) = (folder, how);

    private string Leases => Path.Combine(_folder, "leases");
    private string Aside => Path.Combine(_folder, "leases.aside");

    public static Unwritable Make(string folder)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("These tests run on Linux.");
        if (Environment.UserName != "root")
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead |
                                         UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            return new Unwritable(folder, "mode");
        }
        if (Run("chattr", "+i", folder) == 0) return new Unwritable(folder, "immutable");
        var blocked = new Unwritable(folder, "blocked");
        if (Directory.Exists(blocked.Leases)) Directory.Move(blocked.Leases, blocked.Aside); // held leases stay held
        File.WriteAllText(blocked.Leases, "");
        return blocked;
    }

    public void Dispose()
    {
        switch (_how)
        {
            case "immutable":
                Run("chattr", "-i", _folder);
                break;
            case "blocked":
                File.Delete(Leases);
                if (Directory.Exists(Aside)) Directory.Move(Aside, Leases);
                break;
            default:
                if (!OperatingSystem.IsWindows())
                    File.SetUnixFileMode(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                break;
        }
    }

    private static int Run(string file, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in args) start.ArgumentList.Add(a);
            using var p = Process.Start(start)!;
            if (p.WaitForExit(30_000)) return p.ExitCode;
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish in 30 s");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1; // no chattr on this system
        }
    }
}
