// Command server is a minimal HTTP service using only the standard library: replace the handler
// with your own. It listens on all interfaces inside the container; compose publishes it on
// 127.0.0.1 only (C04).
//
// "server -healthcheck" is the image's HEALTHCHECK (D12): it GETs the health path on 127.0.0.1
// and exits 0 when the answer is 200 OK, 1 otherwise, so the image needs no curl or shell.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

const (
	port       = 8080
	healthPath = "/healthz"
	service    = "edge"
)

func main() {
	healthcheck := flag.Bool("healthcheck", false, "check the running server's health path and exit 0 (healthy) or 1")
	flag.Parse()
	if *healthcheck {
		os.Exit(checkHealth())
	}

	server := &http.Server{
		Addr:    fmt.Sprintf(":%d", port),
		Handler: http.HandlerFunc(handle),
		// Slow or idle clients cannot hold connections open forever.
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       60 * time.Second,
	}

	// Stop accepting connections and finish requests in flight when the orchestrator asks
	// (docker stop, nomad stop).
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()

	failed := make(chan error, 1)
	go func() { failed <- server.ListenAndServe() }()
	log.Printf("listening on %d", port)

	select {
	case err := <-failed:
		log.Fatalf("server: %v", err)
	case <-ctx.Done():
	}

	shutdown, cancel := context.WithTimeout(context.Background(), 8*time.Second)
	defer cancel()
	if err := server.Shutdown(shutdown); err != nil {
		log.Printf("shutdown: %v", err)
	}
}

func handle(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == healthPath {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]string{"service": service})
}

func checkHealth() int {
	// Requests to loopback addresses never go through a proxy from the environment.
	client := &http.Client{Timeout: 2 * time.Second}
	resp, err := client.Get(fmt.Sprintf("http://127.0.0.1:%d%s", port, healthPath))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintln(os.Stderr, "health check:", resp.Status)
		return 1
	}
	return 0
}
