// Command ferretdb runs an embedded FerretDB (MongoDB wire protocol) on a loopback port for
// Jinling HIE's demo and tests, on PostgreSQL (which it starts itself, as its own child) or
// on SQLite. It prints one JSON line once it serves ({"mongodb": URI, "postgresql": URL}) and
// exits when its standard input closes, so neither it nor PostgreSQL outlives the Node
// process that started it, even when that process is killed.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"github.com/jackc/pgx/v5"
)

type options struct {
	listen       string
	handler      string
	sqliteURL    string
	pgBin        string
	pgData       string
	pgLog        string
	pgUID        int
	pgGID        int
	pgDurable    bool
	startTimeout time.Duration
	quiet        bool
	pgSettings   settingsFlag
}

// settingsFlag collects repeated -pg-set name=value flags.
type settingsFlag []string

func (s *settingsFlag) String() string     { return fmt.Sprint(*s) }
func (s *settingsFlag) Set(v string) error { *s = append(*s, v); return nil }

func main() {
	var o options
	flag.StringVar(&o.listen, "listen", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free port)")
	flag.StringVar(&o.handler, "handler", "postgresql", "storage: postgresql or sqlite")
	flag.StringVar(&o.sqliteURL, "sqlite-url", "", "sqlite: URI of an existing directory, with a trailing slash")
	flag.StringVar(&o.pgBin, "pg-bin", "", "postgresql: directory holding initdb and postgres")
	flag.StringVar(&o.pgData, "pg-data", "", "postgresql: data directory (initialized on first use)")
	flag.StringVar(&o.pgLog, "pg-log", "", "postgresql: file PostgreSQL's own log is appended to")
	flag.IntVar(&o.pgUID, "pg-uid", -1, "postgresql: run initdb and postgres as this uid (needed when started by root)")
	flag.IntVar(&o.pgGID, "pg-gid", -1, "postgresql: and this gid")
	flag.BoolVar(&o.pgDurable, "pg-durable", true, "postgresql: fsync (false for throwaway test data)")
	flag.Var(&o.pgSettings, "pg-set", "postgresql: one more setting, name=value (repeatable)")
	flag.BoolVar(&o.quiet, "quiet", false, "log nothing (FerretDB logs errors, such as duplicate keys, otherwise)")
	flag.DurationVar(&o.startTimeout, "start-timeout", 2*time.Minute, "how long PostgreSQL may take to accept connections")
	flag.Parse()

	// Stop on stdin EOF (the parent is gone) and on SIGINT/SIGTERM alike, always through the same path.
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		cancel()
	}()
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-signals
		cancel()
	}()

	if err := run(ctx, &o); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o *options) error {
	var logs io.Writer = os.Stderr
	if o.quiet {
		logs = io.Discard
	}
	config := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: o.listen},
		Logger:   slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelError})),
		Handler:  o.handler,
	}
	ready := map[string]any{}

	switch o.handler {
	case "sqlite":
		if o.sqliteURL == "" {
			return errors.New("-sqlite-url is required")
		}
		config.SQLiteURL = o.sqliteURL

	case "postgresql":
		pg, err := startPostgres(ctx, o)
		if err != nil {
			return err
		}
		defer pg.stop()
		config.PostgreSQLURL = pg.url
		ready["postgresql"] = pg.url
		ready["postgresqlPid"] = pg.cmd.Process.Pid

	default:
		return fmt.Errorf("unknown -handler %q", o.handler)
	}

	db, err := ferretdb.New(config)
	if err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- db.Run(ctx) }()

	ready["mongodb"] = db.MongoDBURI()
	line, _ := json.Marshal(ready)
	fmt.Println(string(line))

	select {
	case <-done:
	case <-ctx.Done():
		<-done
	}
	return nil
}

type postgres struct {
	cmd    *exec.Cmd
	url    string
	exited chan struct{}
}

// startPostgres initializes the data directory on first use, starts PostgreSQL on a free
// loopback port and waits until it accepts connections.
func startPostgres(ctx context.Context, o *options) (*postgres, error) {
	if o.pgBin == "" || o.pgData == "" {
		return nil, errors.New("-pg-bin and -pg-data are required")
	}
	// The parent-death signal belongs to the thread that forks: keep this goroutine on one thread for good.
	runtime.LockOSThread()

	// PostgreSQL writes its log straight into the file: a pipe read by this process could fill
	// up and block it (its lines can be long), and would stop with this process.
	logPath := o.pgLog
	if logPath == "" {
		logPath = os.DevNull
	}
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	defer logFile.Close() // the children keep their own copy

	if _, err := os.Stat(filepath.Join(o.pgData, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		initdb := childCommand(o, "initdb", "-D", o.pgData, "--no-sync", "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C")
		out, err := initdb.CombinedOutput()
		if err != nil {
			return nil, fmt.Errorf("initdb failed: %v\n%s", err, out)
		}
	}

	settings := []string{
		"listen_addresses=127.0.0.1",
		"unix_socket_directories=", // TCP only: no socket path to fit in 107 bytes or to share
		"max_connections=200",
		// FerretDB sends the key of every filter as a parameter; custom plans let the planner
		// see it and match the expression indexes.
		"plan_cache_mode=force_custom_plan",
		"synchronous_commit=off",
	}
	if !o.pgDurable {
		settings = append(settings, "fsync=off", "full_page_writes=off")
	}
	settings = append(settings, o.pgSettings...)

	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		args := []string{"-D", o.pgData, "-p", strconv.Itoa(port)}
		for _, s := range settings {
			args = append(args, "-c", s)
		}
		cmd := childCommand(o, "postgres", args...)
		cmd.Stdout = logFile
		cmd.Stderr = logFile
		if err = cmd.Start(); err != nil {
			return nil, err
		}
		pg := &postgres{cmd: cmd, url: fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres", port), exited: make(chan struct{})}
		go func() {
			_ = cmd.Wait()
			close(pg.exited)
		}()

		if err = waitForPostgres(ctx, pg, o.startTimeout); err == nil {
			return pg, nil
		}
		exitedOnItsOwn := false
		select {
		case <-pg.exited:
			exitedOnItsOwn = true
		default:
		}
		pg.stop()
		lastErr = fmt.Errorf("%v (PostgreSQL's log: %s)\n%s", err, logPath, logTail(logPath))
		// Only a start that ended by itself (the port was taken meanwhile, say) is worth another port.
		if !exitedOnItsOwn || ctx.Err() != nil {
			return nil, lastErr
		}
	}
	return nil, lastErr
}

// childCommand runs a PostgreSQL program as the configured user, in a process group of its
// own (a terminal's Ctrl-C reaches this launcher, which stops it in order), killed with an
// immediate shutdown if this launcher dies first.
func childCommand(o *options, program string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(o.pgBin, program), args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGQUIT}
	if o.pgUID >= 0 {
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: uint32(o.pgUID), Gid: uint32(o.pgGID)}
		cmd.Dir = o.pgData
	}
	return cmd
}

func waitForPostgres(ctx context.Context, pg *postgres, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		attempt, cancel := context.WithTimeout(ctx, 5*time.Second)
		conn, err := pgx.Connect(attempt, pg.url)
		if err == nil {
			err = conn.Ping(attempt)
			_ = conn.Close(attempt)
		}
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-pg.exited:
			return errors.New("postgres exited before it accepted connections")
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("postgres did not accept connections within %s: %v", timeout, err)
		}
	}
}

// stop asks for a fast shutdown (active sessions ended, a checkpoint written) and waits.
func (pg *postgres) stop() {
	select {
	case <-pg.exited:
		return
	default:
	}
	_ = pg.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-pg.exited:
	case <-time.After(30 * time.Second):
		_ = pg.cmd.Process.Signal(syscall.SIGQUIT)
		select {
		case <-pg.exited:
		case <-time.After(10 * time.Second):
			_ = pg.cmd.Process.Kill()
			<-pg.exited
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// logTail returns the end of PostgreSQL's log, for an error message.
func logTail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}
