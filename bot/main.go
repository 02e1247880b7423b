// Command bot is motcua's Telegram bot: citizens look up procedures, follow
// their dossiers and their place in the queue, rate and give feedback; it
// also delivers the outbox to the chats that follow (docs/bot.md). It opens
// the store and builds the services through internal/app like the portal,
// and calls the same use cases with its own actor (actor.Chat).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(exitCode(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr), os.Stderr))
}
