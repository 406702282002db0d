using CaseBot.Cli.Commands;

return await CliApp.RunAsync(args);
