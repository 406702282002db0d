using System.Net.Sockets;
using CaseBot.Core;
using CaseBot.Core.Corpus;
using CaseBot.Core.Indexing;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace CaseBot.Web.Hosting;

/// <summary>
/// Exit codes of <c>casebot serve</c>, one per cause a self-hoster fixes differently; process supervisors and
/// <c>docker inspect</c> show them. Documented in docs/RELIABILITY.md.
/// </summary>
public static class ExitCodes
{
    public const int Stopped = 0;
    /// <summary>Something unexpected; the line says what, <c>--verbose</c> adds the stack trace.</summary>
    public const int Failed = 1;
    public const int Configuration = 2;
    /// <summary>The corpus folder is missing, or holds no usable document, and there is no index to answer from.</summary>
    public const int Corpus = 3;
    /// <summary>The index folder cannot be written (permissions, a read-only or full disk) and no index can be built.</summary>
    public const int IndexFolder = 4;
    /// <summary>The web console's address is taken (or not allowed).</summary>
    public const int Address = 5;
}

/// <summary>One line saying what failed and what to change, and the exit code for it.</summary>
public sealed record StartupFailure(int ExitCode, string Line)
{
    public static StartupFailure Classify(Exception error)
    {
        foreach (var e in Chain(error))
        {
            switch (e)
            {
                case OptionsValidationException o when o.OptionsType == typeof(CaseBotOptions):
                    return new(ExitCodes.Corpus, "the corpus cannot be found: " + string.Join(" ", o.Failures));
                case OptionsValidationException o:
                    return new(ExitCodes.Configuration, "the configuration needs fixing: " + string.Join(" ", o.Failures));
                case CorpusException:
                    return new(ExitCodes.Corpus, $"cannot open the index: {e.Message} Set CaseBot__CorpusPath to the folder of the case documents.");
                case IndexFolderException:
                    return new(ExitCodes.IndexFolder, e.Message);
                case AddressInUseException:
                    return new(ExitCodes.Address, $"{Outer(error, e).Message} Stop the program using that port, or set Web__Urls " +
                                                  "to another address (e.g. --Web:Urls=http://127.0.0.1:9000).");
                case SocketException { SocketErrorCode: SocketError.AccessDenied }:
                    return new(ExitCodes.Address, $"{Outer(error, e).Message} Ports below 1024 need privileges: set Web__Urls to a port " +
                                                  "above 1024 (e.g. --Web:Urls=http://0.0.0.0:8080).");
            }
        }
        return new(ExitCodes.Failed, $"{error.GetType().Name}: {error.Message} (run with --verbose for the details)");
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is AggregateException a)
                foreach (var inner in a.InnerExceptions.SelectMany(Chain)) yield return inner;
            else yield return e;
        }
    }

    /// <summary>Kestrel's own message ("Failed to bind to address …") names the address; its cause does not.</summary>
    private static Exception Outer(Exception error, Exception cause) =>
        Chain(error).FirstOrDefault(e => e is IOException && e.InnerException is not null) ?? cause;
}
