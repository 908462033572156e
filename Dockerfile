FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
EXPOSE 8787
USER node
ENTRYPOINT ["node", "--import", "tsx", "src/main.ts"]
CMD ["run"]
