# Build every front door as a static binary (SQLite is pure Go: no cgo).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/portal ./portal && \
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/bot ./bot

# A minimal runtime: CA certificates, no shell, an unprivileged user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/portal /out/bot /usr/local/bin/
ENV MOTCUA_DATA_DIR=/data MOTCUA_ADDR=:8080
VOLUME /data
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/portal"]
