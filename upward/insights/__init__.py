"""Organization insights: where the gaps are, who is ready, how well raters agree."""
