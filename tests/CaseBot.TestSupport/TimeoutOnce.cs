namespace CaseBot.TestSupport;

/// <summary>
/// An HttpClient handler that fails the first request matching each predicate the way HttpClient's own timeout
/// does (<see cref="TaskCanceledException"/> around a <see cref="TimeoutException"/>), then lets requests through:
/// a platform API that was slow once. Add it with <c>AddHttpClient(name).AddHttpMessageHandler(() => new TimeoutOnce(state))</c>.
/// </summary>
public sealed class TimeoutOnce(TimeoutOnce.State state) : DelegatingHandler
{
    /// <summary>Shared by every handler instance the factory builds: which predicates have fired.</summary>
    public sealed class State(params Func<HttpRequestMessage, bool>[] failFirst)
    {
        private readonly bool[] _fired = new bool[failFirst.Length];
        private int _timedOut;

        public int TimedOut => Volatile.Read(ref _timedOut);

        internal bool ShouldTimeOut(HttpRequestMessage request)
        {
            lock (_fired)
            {
                for (var i = 0; i < failFirst.Length; i++)
                {
                    if (_fired[i] || !failFirst[i](request)) continue;
                    _fired[i] = true;
                    Interlocked.Increment(ref _timedOut);
                    return true;
                }
                return false;
            }
        }
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        state.ShouldTimeOut(request)
            ? Task.FromException<HttpResponseMessage>(new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout.",
                new TimeoutException("The operation was canceled.")))
            : base.SendAsync(request, cancellationToken);
}
