// Studio webview entry (built later)
