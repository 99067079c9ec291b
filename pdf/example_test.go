package pdf_test

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/mediaprep/mediaprep/pdf"
)

// A 13-page document whose pages 2, 3, 5, 7 and 9 are empty (no contents,
// "q Q", a clip path, an empty form, a link annotation): the first five
// non-empty pages are kept.
func ExampleTrim() {
	in, err := os.ReadFile("../testdata/pdf/kinds.pdf")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := pdf.Trim(context.Background(), in, nil) // nil: 5 pages, 20 MB
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("pages in:", res.PagesIn)
	fmt.Println("kept:", res.Kept)
	fmt.Println("dropped as empty:", res.Empty)
	fmt.Println("within budget:", len(res.Data) <= pdf.DefaultMaxBytes)
	// Output:
	// pages in: 13
	// kept: [1 4 6 8 10]
	// dropped as empty: [2 3 5 7 9]
	// within budget: true
}

func ExampleBudgetError() {
	in, err := os.ReadFile("../testdata/pdf/kinds.pdf")
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = pdf.Trim(context.Background(), in, &pdf.Options{MaxBytes: 1000})
	var be *pdf.BudgetError
	if errors.As(err, &be) {
		fmt.Println("budget:", be.Budget, "smallest over budget:", be.Smallest > be.Budget)
	}
	// Output:
	// budget: 1000 smallest over budget: true
}
