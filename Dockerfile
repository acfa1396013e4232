# One image for every Tessera service; docker-compose.yml picks the service with `command`.
# `npm run check:image` replays this file without Docker (CI runs it); an instruction it does not know stops it.

FROM node:24.22.3-bookworm-slim AS build
WORKDIR /app
# Manifests first, so the dependency layer is reused until package*.json change. No lifecycle scripts yet: the
# `prepare` script builds, and the sources it builds are copied only in the next step.
COPY package*.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# Compile what runs (tsconfig.image.json: no test helpers, benchmarks or development tools) with the dev tools,
# then drop them so only runtime dependencies reach the final stage.
RUN npm run build:image && npm prune --omit=dev --no-audit --no-fund

FROM node:24.22.3-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# Copied as root and run as `node`: the process can read its code but not rewrite it.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
# Only the gateway listens on HTTP; the other services talk over NATS.
EXPOSE 3000
CMD ["node", "dist/apps/gateway/src/main.js"]
