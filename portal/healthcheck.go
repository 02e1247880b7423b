package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"motcua/internal/config"
)

// healthcheckCommand asks the portal on this host whether it is ready; the
// container image has no shell or curl to do it.
func healthcheckCommand(ctx context.Context, getenv config.Getenv) error {
	cfg, err := config.FromEnv(getenv)
	if err != nil {
		return err
	}
	_, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return fmt.Errorf("MOTCUA_ADDR: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1:"+port+"/readyz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("not ready: %s", resp.Status)
	}
	return nil
}
