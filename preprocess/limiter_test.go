package preprocess

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLimiterBoundsReservations(t *testing.T) {
	l := NewLimiter(100)
	var inUse, peak atomic.Int64
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func(n int64) {
			defer wg.Done()
			got, err := l.acquire(context.Background(), n)
			if !assert.NoError(t, err) {
				return
			}
			cur := inUse.Add(got)
			for {
				p := peak.Load()
				if cur <= p || peak.CompareAndSwap(p, cur) {
					break
				}
			}
			time.Sleep(time.Millisecond)
			inUse.Add(-got)
			l.release(got)
		}(int64(10 + i%7*10))
	}
	wg.Wait()
	assert.LessOrEqual(t, peak.Load(), int64(100))
	assert.Zero(t, l.InUse())
}

func TestLimiterOversizedRunsAlone(t *testing.T) {
	l := NewLimiter(100)
	n, err := l.acquire(context.Background(), 1000)
	require.NoError(t, err)
	assert.Equal(t, int64(100), n, "clamped to the limit")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err = l.acquire(ctx, 1)
	require.ErrorIs(t, err, context.DeadlineExceeded, "nothing else fits while it runs")
	l.release(n)
	n, err = l.acquire(context.Background(), 1)
	require.NoError(t, err)
	l.release(n)
	assert.Zero(t, l.InUse())
}

func TestLimiterFIFOAndCancel(t *testing.T) {
	l := NewLimiter(10)
	first, err := l.acquire(context.Background(), 10)
	require.NoError(t, err)

	// A big waiter queued first is not overtaken by a small one.
	bigDone := make(chan struct{})
	go func() {
		n, err := l.acquire(context.Background(), 8)
		assert.NoError(t, err)
		close(bigDone)
		l.release(n)
	}()
	waitFor(t, func() bool { l.mu.Lock(); defer l.mu.Unlock(); return len(l.waiters) == 1 })

	ctx, cancel := context.WithCancel(context.Background())
	smallErr := make(chan error, 1)
	go func() {
		_, err := l.acquire(ctx, 1)
		smallErr <- err
	}()
	waitFor(t, func() bool { l.mu.Lock(); defer l.mu.Unlock(); return len(l.waiters) == 2 })
	cancel()
	require.ErrorIs(t, <-smallErr, context.Canceled)

	l.release(first)
	<-bigDone
	waitFor(t, func() bool { return l.InUse() == 0 })
	l.mu.Lock()
	assert.Empty(t, l.waiters)
	l.mu.Unlock()
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestJPEGBaseline(t *testing.T) {
	for _, c := range []struct {
		name string
		in   []byte
		want bool
	}{
		{"SOF0 after APP0", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0, 0, 0xFF, 0xC0, 0x00, 0x02}, true},
		{"SOF2 progressive", []byte{0xFF, 0xD8, 0xFF, 0xC2, 0x00, 0x02}, false},
		{"DHT then SOF1", []byte{0xFF, 0xD8, 0xFF, 0xC4, 0x00, 0x02, 0xFF, 0xC1, 0x00, 0x02}, true},
		{"SOS before SOF", []byte{0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02}, false},
		{"truncated", []byte{0xFF, 0xD8, 0xFF}, false},
		{"garbage", []byte{0xFF, 0xD8, 0x00, 0x00, 0x00, 0x00}, false},
	} {
		t.Run(c.name, func(t *testing.T) { assert.Equal(t, c.want, jpegBaseline(c.in)) })
	}
}

func TestJPEGScanCount(t *testing.T) {
	// SOI, then 150 empty SOS segments: a scan bomb's marker structure.
	b := []byte{0xFF, 0xD8}
	for range 150 {
		b = append(b, 0xFF, 0xDA, 0x00, 0x02)
	}
	assert.Equal(t, 150, jpegScans(b))
	assert.Greater(t, jpegScans(b), maxJPEGScans)
	assert.Equal(t, 0, jpegScans([]byte{0xFF, 0xD8, 0xFF, 0x00, 0xDA}), "stuffed 0xFF in entropy data")
}
