# syntax=docker/dockerfile:1
# Build stage: install everything, compile TypeScript.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY jobs ./jobs
RUN npx tsc -p tsconfig.build.json

# Final stage: production dependencies and the compiled worker only, run as a non-root user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The example backlog and PQL rules; compose mounts your own over them.
COPY experiments ./experiments
COPY pql ./pql
USER node
ENV SHIPLOOP_BACKLOG_DIR=/app/experiments \
    SHIPLOOP_PQL_DIR=/app/pql \
    SHIPLOOP_HTTP_HOST=0.0.0.0
EXPOSE 8080
CMD ["node", "dist/src/cli.js", "worker"]
