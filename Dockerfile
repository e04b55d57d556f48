# syntax=docker/dockerfile:1
# One image for every service of the platform: SERVICE=gateway|user|data|analytics|notification
# picks which (deploy/image/service.sh). Compiled JavaScript on plain node, production
# dependencies only, as the unprivileged `node` user, with a HEALTHCHECK on /health/ready.
#   docker build -t federated-platform .
#   docker run -e SERVICE=user -e JWT_SECRET=... -e GATEWAY_SECRET=... ... federated-platform
# The build stage's last step, deploy/image/build-production-tree.sh, is also run by
# e2e/test/deploy/production-image.test.ts, which starts what it assembles with plain node.

# Build: every dependency (TypeScript, esbuild, Vite), the explorer bundle, the web app, then the
# production tree in /app.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
COPY packages ./packages
COPY subgraphs ./subgraphs
COPY gateway ./gateway
COPY sdk ./sdk
COPY web ./web
COPY e2e/package.json ./e2e/package.json
COPY bench/package.json ./bench/package.json
RUN npm ci --no-audit --no-fund
COPY schema ./schema
COPY tsconfig.base.json tsconfig.build.json ./
COPY deploy/image ./deploy/image
RUN npm run build:explorer -w gateway && npm run build -w web
RUN bash deploy/image/build-production-tree.sh /app

# Runtime: the production tree only, owned by root and read-only to the `node` user (uid 1000)
# that runs it.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app ./
USER node
# The gateway's public port and its metrics listener (METRICS_PORT), then the subgraphs' ports.
EXPOSE 4000 9464 4001 4002 4003 4004
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["/app/deploy/image/service.sh", "healthcheck"]
CMD ["/app/deploy/image/service.sh"]
