// Command ferretdb runs an embedded FerretDB (MongoDB wire protocol, SQLite storage) on a
// loopback port for Jinling HIE's demo and tests. It prints the MongoDB URI on its first
// line of output and exits when its standard input closes, so it never outlives the Node
// process that started it, even when that process is killed.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free port)")
	sqliteURL := flag.String("sqlite-url", "", "SQLite URI of an existing directory, with a trailing slash")
	flag.Parse()

	if *sqliteURL == "" {
		fmt.Fprintln(os.Stderr, "ferretdb: -sqlite-url is required")
		os.Exit(2)
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	db, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: *sqliteURL,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}

	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		cancel()
	}()

	done := make(chan struct{})
	go func() {
		_ = db.Run(ctx)
		close(done)
	}()

	fmt.Println(db.MongoDBURI())
	<-done
}
