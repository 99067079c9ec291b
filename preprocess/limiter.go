package preprocess

import (
	"context"
	"fmt"
	"sync"
)

// Limiter bounds the memory that concurrent [Prepare] calls use. Each call
// that decodes pixels first reserves an estimate of its peak working memory
// (decoded image at the scale it will be decoded at, the fitted image and
// the encoder's buffers; the input bytes themselves are the caller's) and
// waits, in FIFO order, while the reservations of other calls would exceed
// the limit. A call whose estimate alone exceeds the limit runs when it can
// have the whole limit to itself, so no input is refused for size by the
// Limiter (MaxPixels does that).
//
// Share one Limiter between all the handlers of a server through
// Options.Limiter. Waiting respects the context. The zero Limiter is not
// usable; make one with [NewLimiter]. Safe for concurrent use.
type Limiter struct {
	max int64

	mu      sync.Mutex
	used    int64
	waiters []*waiter
}

type waiter struct {
	n     int64
	ready chan struct{}
}

// NewLimiter returns a Limiter that lets reservations add up to maxBytes.
// It panics if maxBytes is not positive.
func NewLimiter(maxBytes int64) *Limiter {
	if maxBytes <= 0 {
		panic(fmt.Sprintf("preprocess: NewLimiter(%d): limit must be positive", maxBytes))
	}
	return &Limiter{max: maxBytes}
}

// Limit returns the limit in bytes.
func (l *Limiter) Limit() int64 { return l.max }

// InUse returns the bytes currently reserved.
func (l *Limiter) InUse() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.used
}

// acquire reserves n bytes (at most the limit), waiting while they do not
// fit. It returns the amount reserved, to pass to release.
func (l *Limiter) acquire(ctx context.Context, n int64) (int64, error) {
	n = min(max(n, 1), l.max)
	l.mu.Lock()
	if len(l.waiters) == 0 && l.used+n <= l.max {
		l.used += n
		l.mu.Unlock()
		return n, nil
	}
	w := &waiter{n: n, ready: make(chan struct{})}
	l.waiters = append(l.waiters, w)
	l.mu.Unlock()

	select {
	case <-w.ready:
		return n, nil
	case <-ctx.Done():
		l.mu.Lock()
		defer l.mu.Unlock()
		select {
		case <-w.ready:
			// Granted while we were giving up: hand it back.
			l.used -= n
		default:
			for i, x := range l.waiters {
				if x == w {
					l.waiters = append(l.waiters[:i], l.waiters[i+1:]...)
					break
				}
			}
		}
		l.grantLocked()
		return 0, ctx.Err()
	}
}

// release returns n reserved bytes.
func (l *Limiter) release(n int64) {
	l.mu.Lock()
	l.used -= n
	l.grantLocked()
	l.mu.Unlock()
}

// grantLocked wakes waiters in order while the first one fits.
func (l *Limiter) grantLocked() {
	for len(l.waiters) > 0 {
		w := l.waiters[0]
		if l.used+w.n > l.max {
			return
		}
		l.used += w.n
		l.waiters[0] = nil
		l.waiters = l.waiters[1:]
		close(w.ready)
	}
}
