# One image: the Bun server, migrations applied at start. Build: docker build -t restaurant-os .
FROM oven/bun:1.4-debian AS deps
WORKDIR /app
COPY package.json bun.lock ./
# bun install applies patches/ (see package.json patchedDependencies): they must be there first.
COPY patches ./patches
RUN bun install --frozen-lockfile --production

FROM oven/bun:1.4-debian
WORKDIR /app
ENV NODE_ENV=production PORT=3000 DATA_DIR=/app/data
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json bunfig.toml ./
COPY src ./src
COPY views ./views
COPY public ./public
COPY drizzle ./drizzle
# Non-root: the official image ships the "bun" user. The data dir is only used by embedded PGlite.
RUN mkdir -p /app/data && chown bun:bun /app/data
USER bun
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD bun -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then(r => process.exit(r.ok ? 0 : 1)).catch(() => process.exit(1))"
# `bun run start` applies pending migrations, then serves. The admin CLI is the same image:
#   docker run --rm -e DATABASE_URL=... restaurant-os bun run cli create-restaurant --name ... --slug ... --owner-email ...
CMD ["bun", "run", "start"]
