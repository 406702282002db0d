using System.ComponentModel.DataAnnotations;

namespace CaseBot.Core;

/// <summary>Where the corpus and the index live. Bound from the <c>CaseBot</c> section (<c>CaseBot__CorpusPath</c>, …).</summary>
public sealed class CaseBotOptions
{
    public const string Section = "CaseBot";

    /// <summary>Folder of the case documents (<c>*.txt</c>, <c>*.md</c>) and the optional <c>aliases.conf</c>.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "CaseBot:CorpusPath must name the corpus folder (env CaseBot__CorpusPath).")]
    public string CorpusPath { get; set; } = "corpus";

    /// <summary>Folder where built indexes live.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "CaseBot:IndexPath must name the index folder (env CaseBot__IndexPath).")]
    public string IndexPath { get; set; } = "index";
}
