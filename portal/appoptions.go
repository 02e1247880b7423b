package main

import (
	"context"

	"motcua/internal/app"
)

// appOptionsKey carries app options to the services run builds: tests
// start the portal exactly as a user does, through run, and some need a
// clock of their own (a queue open at nine whatever the hour they run at).
type appOptionsKey struct{}

// withAppOptions returns ctx carrying opts for every open under it.
func withAppOptions(ctx context.Context, opts ...app.Option) context.Context {
	return context.WithValue(ctx, appOptionsKey{}, opts)
}

func appOptionsFrom(ctx context.Context) []app.Option {
	opts, _ := ctx.Value(appOptionsKey{}).([]app.Option)
	return opts
}
