"""The council's quarterly progress report (raadsinformatiebrief): content, DOCX, charts."""
