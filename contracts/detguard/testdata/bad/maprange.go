package bad

import (
	"maps"
	"reflect"
	"slices"
)

func mapOrder(m map[string]int) (out []string) {
	for k := range m { // want "maprange"
		out = append(out, k)
	}
	for k := range maps.Keys(m) { // want "maprange"
		out = append(out, k)
	}
	out = slices.Collect(maps.Keys(m))               // want "maprange"
	for _, k := range reflect.ValueOf(m).MapKeys() { // want "maprange"
		out = append(out, k.String())
	}
	return out
}

type named map[string]int

func sum(m named) (n int) {
	for _, v := range m { // want "maprange"
		n += v
	}
	return n
}
