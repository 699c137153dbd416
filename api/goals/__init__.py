"""Goals with targets, their indicators and the series measured per quarter."""
