# The one Actuate binary; docker-compose.yml runs it as processor, sender and API.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /actuate ./cmd/actuate

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /actuate /actuate
ENTRYPOINT ["/actuate"]
