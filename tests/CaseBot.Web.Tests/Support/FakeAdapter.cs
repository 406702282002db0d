using CaseBot.Core.Hosting;

namespace CaseBot.Web.Tests.Support;

internal sealed class FakeAdapter(string platform, bool connected) : IChatAdapter
{
    public string Platform => platform;
    public bool IsConnected { get; set; } = connected;
}
