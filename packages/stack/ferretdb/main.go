// Command ferretdb runs FerretDB 1.x (a MongoDB wire-protocol server on PostgreSQL) for the local
// stack. It embeds the library package instead of `go install`ing FerretDB's own command, because
// that command refuses to start unless it was built by FerretDB's release tooling (it panics on a
// missing build/version/version.txt).
package main

import (
	"context"
	"flag"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	postgresURL := flag.String("postgresql-url", "", "PostgreSQL URL of the backing database")
	flag.Parse()

	if *postgresURL == "" {
		log.Fatal("-postgresql-url is required")
	}

	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

	server, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listen},
		Logger:        logger,
		Handler:       "postgresql",
		PostgreSQLURL: *postgresURL,
	})
	if err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	log.Printf("ferretdb listening on %s", *listen)
	if err := server.Run(ctx); err != nil {
		log.Fatal(err)
	}
}
