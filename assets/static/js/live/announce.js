// Announcements for screen readers, through a live region of the page.

// announcer returns a function that says a text in region (a visually
// hidden element with role="status"). Without a region it says nothing.
export function announcer(region) {
  return (text) => {
    if (!region) return;
    // Clear first, so that the same text twice is announced twice.
    region.textContent = "";
    setTimeout(() => (region.textContent = text), 50);
  };
}
