# CaseBot: `casebot serve` (web console + every configured chat adapter) in one container.
#   docker build -t casebot .
#   docker run -p 8080:8080 -v casebot-index:/data/index -e Discord__Token=... -e Discord__ApplicationId=... casebot
# Secrets (Discord__Token, Slack__BotToken, Slack__AppToken, Web__AdminToken, ...) come ONLY from the environment
# at run time: none is baked into the image. See docs/self-hosting.md.

# ---- build: the SDK publishes the casebot CLI (framework-dependent) to /app ----
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Project files first, so the restore layer is cached until a dependency changes.
COPY CaseBot.sln Directory.Build.props Directory.Packages.props ./
COPY src/CaseBot/CaseBot.csproj src/CaseBot/
COPY src/CaseBot.Core/CaseBot.Core.csproj src/CaseBot.Core/
COPY src/CaseBot.Discord/CaseBot.Discord.csproj src/CaseBot.Discord/
COPY src/CaseBot.Slack/CaseBot.Slack.csproj src/CaseBot.Slack/
COPY src/CaseBot.Web/CaseBot.Web.csproj src/CaseBot.Web/
RUN dotnet restore src/CaseBot/CaseBot.csproj
COPY src/ src/
RUN dotnet publish src/CaseBot/CaseBot.csproj -c Release --no-restore -o /app

# ---- runtime: ASP.NET Core runtime only, non-root ----
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The case documents are baked in; bind-mount your own folder over /data/corpus to change them (the corpus watcher
# reindexes on change). /data/corpus is deliberately not a VOLUME: an anonymous volume there would keep a stale copy
# of the documents across image rebuilds. /data/index holds the built index; a named volume keeps it across restarts.
COPY corpus/ /data/corpus/
RUN mkdir -p /data/index /data/insights && chown -R "$APP_UID" /data
ENV CaseBot__CorpusPath=/data/corpus
ENV CaseBot__IndexPath=/data/index
# Recorded questions and votes (SQLite); set Insights__ConnectionString to share one PostgreSQL database instead.
ENV Insights__DataPath=/data/insights
ENV Web__Urls=http://+:8080
ENV DOTNET_NOLOGO=1
VOLUME ["/data/index", "/data/insights"]
EXPOSE 8080
# The aspnet image has no curl or wget: the app checks itself (`serve --healthcheck URL` does one GET, exit 0 on 2xx).
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["dotnet", "/app/casebot.dll", "serve", "--healthcheck", "http://127.0.0.1:8080/healthz"]
# $APP_UID (1654, user "app") is defined by the .NET images.
USER $APP_UID
ENTRYPOINT ["dotnet", "/app/casebot.dll"]
CMD ["serve"]
