using CaseBot.Web.WebConsole;

namespace CaseBot.Web.Tests;

public sealed class AdminTokenTests
{
    [Theory]
    [InlineData("0123456789abcdef", "0123456789abcdef", true)]
    [InlineData("0123456789abcdef", " 0123456789abcdef ", true)]
    [InlineData("0123456789abcdef", "0123456789abcdeF", false)]
    [InlineData("0123456789abcdef", "0123456789abcde", false)]
    [InlineData("0123456789abcdef", null, false)]
    [InlineData("", "", false)]
    [InlineData(null, "anything", false)]
    public void Matches_only_the_exact_configured_token(string? configured, string? presented, bool expected) =>
        Assert.Equal(expected, AdminToken.Matches(configured, presented));

    [Fact]
    public void Token_is_read_from_bearer_or_x_admin_token()
    {
        Assert.Equal("abc", AdminToken.FromHeaders("Bearer abc", null));
        Assert.Equal("abc", AdminToken.FromHeaders("bearer abc", "other"));
        Assert.Equal("xyz", AdminToken.FromHeaders(null, "xyz"));
        Assert.Null(AdminToken.FromHeaders("Basic Zm9v", null));
    }
}
