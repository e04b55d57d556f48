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
# WORKSPACE is set per service (gateway, subgraphs/user, ...).
CMD ["sh", "-c", "cd \"$WORKSPACE\" && exec node /app/node_modules/tsx/dist/cli.mjs src/main.ts"]
