package main

import (
	"context"

	"motcua/internal/i18n"
	"motcua/internal/store"
)

// Rating and feedback in the chat arrive with the ratings service; until
// then the bot neither invites nor offers them.

func (b *bot) ratingInvite(ctx context.Context, chat store.BotChat, kind, ref string, t *i18n.Translator) (string, any, bool) {
	return "", nil, false
}

func (b *bot) ratedTicketNumber(ctx context.Context, chat, ratingID int64) string { return "" }

func (b *bot) onRatingCallback(ctx context.Context, c *chatCtx, kind, rest string) bool { return false }

func (b *bot) rateMenu(ctx context.Context, c *chatCtx) { b.onCommand(ctx, c, "help", "") }

func (b *bot) feedbackMenu(ctx context.Context, c *chatCtx) { b.onCommand(ctx, c, "help", "") }

func (b *bot) submitFeedback(ctx context.Context, c *chatCtx, text string) { b.clearState(ctx, c) }
