using System.Text.Json.Nodes;

namespace CaseBot.Discord.Interactions;

/// <summary>The three slash commands, in the shape of Discord's bulk-overwrite body.</summary>
internal static class SlashCommands
{
    public const string Ask = "ask", Source = "source", Reindex = "reindex";
    public const string QuestionOption = "question", IdOption = "id";

    /// <summary>MANAGE_GUILD ("Manage Server"), 1 &lt;&lt; 5.</summary>
    public const ulong ManageGuildPermission = 1UL << 5;

    private const int ChatInput = 1, StringOption = 3;
    private const int ContextGuild = 0, ContextBotDm = 1;

    public static JsonArray Definitions() =>
    [
        Command(Ask, "Ask a question about the case; the answer quotes and cites the documents.", [ContextGuild, ContextBotDm],
            StringArg(QuestionOption, "Your question, e.g. why was the contract blocked?", 300)),
        Command(Source, "Show a case document's title and opening lines.", [ContextGuild, ContextBotDm],
            StringArg(IdOption, "Document id, e.g. 004", 20)),
        WithModeratorsOnly(Command(Reindex, "Rebuild CaseBot's index from the corpus folder (moderators).", [ContextGuild])),
    ];

    private static JsonObject Command(string name, string description, int[] contexts, params JsonObject[] options)
    {
        var command = new JsonObject
        {
            ["name"] = name,
            ["type"] = ChatInput,
            ["description"] = description,
            ["contexts"] = new JsonArray(contexts.Select(c => (JsonNode?)c).ToArray()),
        };
        if (options.Length > 0) command["options"] = new JsonArray(options.Select(o => (JsonNode?)o).ToArray());
        return command;
    }

    private static JsonObject StringArg(string name, string description, int maxLength) => new()
    {
        ["name"] = name,
        ["description"] = description,
        ["type"] = StringOption,
        ["required"] = true,
        ["max_length"] = maxLength,
    };

    private static JsonObject WithModeratorsOnly(JsonObject command)
    {
        // Hidden from members without Manage Server; still checked again on receipt, since server admins can override it.
        command["default_member_permissions"] = ManageGuildPermission.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return command;
    }
}
