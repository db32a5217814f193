package segmentimport

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Destination is a destination as Segment's Public API returns it (Get Destination).
type Destination struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Enabled  bool   `json:"enabled"`
	SourceID string `json:"sourceId"`
	Metadata struct {
		ID   string `json:"id"`
		Name string `json:"name"`
		Slug string `json:"slug"`
	} `json:"metadata"`
	// Settings keeps its JSON: masked secrets are recognised by their text.
	Settings map[string]json.RawMessage `json:"settings"`
}

// Subscription is an action's subscription as Segment's Public API returns it (List
// Subscriptions from Destination): settings is the mapping.
type Subscription struct {
	ID            string          `json:"id"`
	Name          string          `json:"name"`
	ActionID      string          `json:"actionId"`
	ActionSlug    string          `json:"actionSlug"`
	DestinationID string          `json:"destinationId"`
	ModelID       string          `json:"modelId"`
	Enabled       bool            `json:"enabled"`
	Trigger       string          `json:"trigger"`
	Settings      json.RawMessage `json:"settings"`
}

// Filter is a destination filter as Segment's Public API returns it (List Filters from
// Destination).
type Filter struct {
	ID            string         `json:"id"`
	SourceID      string         `json:"sourceId"`
	DestinationID string         `json:"destinationId"`
	Title         string         `json:"title"`
	Description   string         `json:"description"`
	If            string         `json:"if"`
	Actions       []FilterAction `json:"actions"`
	Enabled       *bool          `json:"enabled"`
}

// FilterAction is one action of a filter. Fields lists, per part, the keys to keep or
// drop: ["email"], or the older {"fields": ["email"]}.
type FilterAction struct {
	Type    string                     `json:"type"`
	Percent float64                    `json:"percent"`
	Path    string                     `json:"path"`
	Fields  map[string]json.RawMessage `json:"fields"`
}

// Input is what one run imports.
type Input struct {
	Destinations []Destination
	// Subscriptions and Filters are per file read; see Assign.
	Subscriptions [][]Subscription
	Filters       [][]Filter
}

// unwrap removes the {"data": …} envelope of a Public API response, if there is one.
func unwrap(b []byte) (map[string]json.RawMessage, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return nil, fmt.Errorf("not a JSON object: %v", err)
	}
	if data, ok := top["data"]; ok && len(top) <= 2 { // data, and perhaps pagination
		var inner map[string]json.RawMessage
		if err := json.Unmarshal(data, &inner); err == nil {
			return inner, nil
		}
	}
	return top, nil
}

// ParseDestinations reads a Get Destination or List Destinations response, or a bare
// destination object.
func ParseDestinations(b []byte) ([]Destination, error) {
	obj, err := unwrap(b)
	if err != nil {
		return nil, err
	}
	switch {
	case obj["destination"] != nil:
		var d Destination
		if err := json.Unmarshal(obj["destination"], &d); err != nil {
			return nil, fmt.Errorf("destination: %v", err)
		}
		return []Destination{d}, nil
	case obj["destinations"] != nil:
		var ds []Destination
		if err := json.Unmarshal(obj["destinations"], &ds); err != nil {
			return nil, fmt.Errorf("destinations: %v", err)
		}
		return ds, nil
	case obj["metadata"] != nil:
		var d Destination
		if err := json.Unmarshal(b, &d); err != nil {
			return nil, err
		}
		return []Destination{d}, nil
	}
	return nil, fmt.Errorf(`holds no "destination": save the answer of Get Destination`)
}

// ParseSubscriptions reads a List Subscriptions from Destination response, or a bare list.
func ParseSubscriptions(b []byte) ([]Subscription, error) {
	var subs []Subscription
	if bytes.HasPrefix(bytes.TrimSpace(b), []byte("[")) {
		return subs, json.Unmarshal(b, &subs)
	}
	obj, err := unwrap(b)
	if err != nil {
		return nil, err
	}
	raw, ok := obj["subscriptions"]
	if !ok {
		return nil, fmt.Errorf(`holds no "subscriptions": save the answer of List Subscriptions from Destination`)
	}
	if err := json.Unmarshal(raw, &subs); err != nil {
		return nil, fmt.Errorf("subscriptions: %v", err)
	}
	return subs, nil
}

// ParseFilters reads a List Filters from Destination response, or a bare list.
func ParseFilters(b []byte) ([]Filter, error) {
	var fs []Filter
	if bytes.HasPrefix(bytes.TrimSpace(b), []byte("[")) {
		return fs, json.Unmarshal(b, &fs)
	}
	obj, err := unwrap(b)
	if err != nil {
		return nil, err
	}
	raw, ok := obj["filters"]
	if !ok {
		return nil, fmt.Errorf(`holds no "filters": save the answer of List Filters from Destination`)
	}
	if err := json.Unmarshal(raw, &fs); err != nil {
		return nil, fmt.Errorf("filters: %v", err)
	}
	return fs, nil
}

// assign pairs each destination with its subscriptions and filters: by destinationId when
// the objects carry one, else to the only destination, else by the position of the file.
func (in *Input) assign() (map[string][]Subscription, map[string][]Filter, error) {
	subs := map[string][]Subscription{}
	filters := map[string][]Filter{}
	owner := func(id string, file int, what string) (string, error) {
		if id != "" {
			for _, d := range in.Destinations {
				if d.ID == id {
					return id, nil
				}
			}
			return "", fmt.Errorf("%s file %d names destination %s, which no destination file holds", what, file+1, id)
		}
		switch {
		case len(in.Destinations) == 1:
			return in.Destinations[0].ID, nil
		case file < len(in.Destinations):
			return in.Destinations[file].ID, nil
		}
		return "", fmt.Errorf("%s file %d has no destinationId and no destination file at the same position", what, file+1)
	}
	for i, list := range in.Subscriptions {
		for _, s := range list {
			id, err := owner(s.DestinationID, i, "subscriptions")
			if err != nil {
				return nil, nil, err
			}
			subs[id] = append(subs[id], s)
		}
	}
	for i, list := range in.Filters {
		for _, f := range list {
			id, err := owner(f.DestinationID, i, "filters")
			if err != nil {
				return nil, nil, err
			}
			filters[id] = append(filters[id], f)
		}
	}
	return subs, filters, nil
}
