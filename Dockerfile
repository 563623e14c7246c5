# Restaurant OS in one image: the Bun server, its migrations, and the admin CLI (backups included).
#   docker build -t restaurant-os .
# tests/ops/docker.test.ts runs these instructions in order in a clean directory (no engine is needed).

# The Bun version the project is developed and tested with, pinned exactly (not a floating 1.x tag).
ARG BUN_IMAGE=oven/bun:1.4.5-debian

# Stage 1: production dependencies only, exactly as bun.lock has them (a lockfile out of date fails here).
FROM ${BUN_IMAGE} AS deps
WORKDIR /app
COPY package.json bun.lock bunfig.toml ./
# bun install applies patches/ (package.json patchedDependencies: postgres.js fixes), so they come first.
COPY patches ./patches
RUN bun install --frozen-lockfile --production --ignore-scripts

# Stage 2: the runtime: sources and production node_modules, no dev dependencies, no build tools.
FROM ${BUN_IMAGE}
# pg_dump/pg_restore for `bun run cli backup` and `restore` against Postgres 15 (Debian bookworm's).
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client-15 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production PORT=3000 DATA_DIR=/app/data BACKUP_DIR=/app/backups
COPY --from=deps /app/node_modules ./node_modules
COPY package.json bun.lock tsconfig.json bunfig.toml ./
COPY src ./src
COPY views ./views
COPY public ./public
COPY drizzle ./drizzle
# Non-root: the official image ships the "bun" user. DATA_DIR (embedded PGlite) and BACKUP_DIR are the
# two places it writes; mount volumes there.
RUN mkdir -p /app/data /app/backups && chown bun:bun /app/data /app/backups
USER bun
VOLUME ["/app/data", "/app/backups"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD bun -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then(r => process.exit(r.ok ? 0 : 1)).catch(() => process.exit(1))"
# `bun src/server.ts` applies pending migrations, and only then listens: nothing is served on an old schema.
# The admin CLI is the same image:
#   docker run --rm -e DATABASE_URL=... restaurant-os bun run cli create-restaurant --name ... --slug ... --owner-email ...
CMD ["bun", "src/server.ts"]
