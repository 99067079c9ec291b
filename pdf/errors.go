package pdf

import (
	"errors"
	"fmt"
)

// Sentinel errors returned (wrapped) by [Trim]. Match them with errors.Is; the
// wrapping error's message says what exactly was wrong.
var (
	// ErrEncrypted means the PDF is encrypted and cannot be opened without a
	// user password. PDFs that are encrypted but open with the empty user
	// password are decrypted instead and do not produce this error.
	ErrEncrypted = errors.New("pdf: encrypted, a password is needed to open it")

	// ErrCorrupt means the bytes are not a readable PDF: wrong header, broken
	// cross-reference table, truncated file, invalid structure, or a panic
	// recovered inside the PDF library.
	ErrCorrupt = errors.New("pdf: corrupt or not a PDF")

	// ErrNoPages means the document has no pages at all.
	ErrNoPages = errors.New("pdf: document has no pages")

	// ErrAllEmpty means every page of the document is empty (nothing would paint).
	ErrAllEmpty = errors.New("pdf: every page is empty")

	// ErrBudget means the output could not be made to fit the byte budget even
	// after optimisation and re-encoding images at the lowest quality. The
	// returned error is a *[BudgetError] saying how small it got.
	ErrBudget = errors.New("pdf: cannot fit the byte budget")

	// ErrTooLarge means the input exceeds one of the work limits (pages,
	// objects, stream or decoded sizes, image pixels, nesting depth); see
	// [Options.MaxInputPages].
	ErrTooLarge = errors.New("pdf: input exceeds a processing limit")
)

// BudgetError reports that the smallest output Trim could produce was still
// over the budget. errors.Is(err, ErrBudget) is true for it.
type BudgetError struct {
	Budget   int // the byte budget that was asked for
	Smallest int // size in bytes of the smallest output produced
}

// Error implements error.
func (e *BudgetError) Error() string {
	return fmt.Sprintf("pdf: cannot fit the byte budget: smallest output was %d bytes, budget %d bytes", e.Smallest, e.Budget)
}

// Is reports whether target is ErrBudget.
func (e *BudgetError) Is(target error) bool { return target == ErrBudget }
