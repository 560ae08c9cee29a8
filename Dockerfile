# syntax=docker/dockerfile:1.7
# One image per server: docker build --build-arg SERVER=crm -t gtm-mcp-crm .
# (docker-compose.yml builds the four). Stages: deps (the workspace's install), build (tsc for
# the chosen server and what it depends on), deploy (that server's production dependencies
# only), runtime (non-root, node dist/main.js --http, HEALTHCHECK on /healthz).

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS deps
ARG PNPM_VERSION=10.34.9
RUN npm install -g --no-audit --no-fund "pnpm@${PNPM_VERSION}"
WORKDIR /repo
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY packages ./packages
COPY servers ./servers
RUN pnpm install --frozen-lockfile --ignore-scripts

FROM deps AS build
ARG SERVER
RUN test -n "${SERVER}" || (echo "build with --build-arg SERVER=crm|enrichment|warehouse|email" >&2; exit 1)
COPY tsconfig.base.json ./
RUN pnpm --filter "@gtm-mcp/${SERVER}..." run build

FROM build AS deploy
ARG SERVER
RUN pnpm --filter "@gtm-mcp/${SERVER}" --prod deploy --legacy /out

FROM ${NODE_IMAGE} AS runtime
ARG SERVER
ENV NODE_ENV=production \
    GTM_HTTP_HOST=0.0.0.0 \
    GTM_HTTP_PORT=8080 \
    GTM_SERVER=${SERVER}
WORKDIR /app
COPY --from=deploy --chown=node:node /out ./
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.GTM_HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "dist/main.js"]
CMD ["--http"]
