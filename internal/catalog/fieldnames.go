package catalog

// FieldNames lists the names of the catalog's fields (Vietnamese, as
// procedures carry them): what a queue service's fields are chosen from.
func (s *Service) FieldNames() []string {
	fields := s.Fields()
	out := make([]string, 0, len(fields))
	for _, f := range fields {
		out = append(out, f.Name)
	}
	return out
}
