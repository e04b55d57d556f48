# One image for every service of the platform; docker-compose.yml picks the workspace to run.
FROM node:20-bookworm-slim
WORKDIR /app
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
COPY rover.yaml tsconfig.base.json ./
# The explorer's GraphiQL bundle (gateway/dist/explorer/), which the gateway serves at GET /graphql.
RUN npm run build:explorer -w gateway
ENV NODE_ENV=production
# WORKSPACE is set per service (gateway, subgraphs/user, ...). Started as `npm start` starts a
# service (SERVICE_NODE_ARGS): @platform/telemetry's loader hook before the service's first import.
CMD ["sh", "-c", "cd \"$WORKSPACE\" && exec node --import tsx --import @platform/telemetry/register src/main.ts"]
