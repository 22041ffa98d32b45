package bad

func price(qty int, unit float64) float64 {
	total := float64(qty) * unit // want "float"
	total += 0.5                 // want "float"
	total++                      // want "float"
	return total
}
