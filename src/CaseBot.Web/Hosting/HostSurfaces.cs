namespace CaseBot.Web.Hosting;

/// <summary>Which surfaces a host runs. Every host has the same defaults (<see cref="ServiceDefaults"/>) whatever it runs.</summary>
[Flags]
public enum HostSurfaces
{
    None = 0,
    /// <summary>The web console: its pages and JSON API.</summary>
    Console = 1,
    Discord = 2,
    Slack = 4,
    All = Console | Discord | Slack,
}

/// <summary>The chat adapters a host was asked for and found configured (credentials set).</summary>
public sealed record ConfiguredAdapters(bool Discord, bool Slack);
