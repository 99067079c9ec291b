package preprocess

// HEICFallbacks counts the HEIC files the native decoder left to the
// embedded one.
func HEICFallbacks() int64 { return heicFallbacks.Load() }

// SetHEICNative switches the native HEIC decoder on or off (tests compare
// the two paths); the returned func restores the previous setting.
func SetHEICNative(on bool) (restore func()) {
	old := heicNativeOff.Swap(!on)
	return func() { heicNativeOff.Store(old) }
}
