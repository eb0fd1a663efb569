// Pure but expensive: called with the same few titles over and over (a memoization candidate).
function slugify(title) {
  return title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9\s-]/g, '')
    .trim()
    .split(/\s+/)
    .join('-');
}

module.exports = { slugify };
