"""Keeps Material's blog plugin linear in the number of posts.

For every page, the blog plugin asks `page in posts` (twice). A list's `in`
compares with Page.__eq__, which recomputes both pages' titles from their
Markdown, so each question costs a title parse per post and a build grows with
the square of the post count (measured: 6.5 times the time for 3 times the posts).
Posts are the very Page objects MkDocs hands to each event, so comparing by
identity gives the same answers at a fraction of the cost.
"""
from __future__ import annotations


class PostList(list):
    """A list of posts whose `in` compares identity instead of Page.__eq__, in constant time.

    The blog plugin sets its list once (on_files) and only reads it afterwards; should
    that change, a length that no longer matches the set of ids rebuilds the set.
    """

    def __init__(self, posts=()) -> None:
        super().__init__(posts)
        self._ids = {id(post) for post in self}

    def __contains__(self, page) -> bool:
        if len(self._ids) != len(self):
            self._ids = {id(post) for post in self}
        return id(page) in self._ids


def use_identity_lookup(plugins) -> int:
    """Swap each blog plugin instance's post list for a PostList; returns how many were swapped."""
    swapped = 0
    for name, plugin in plugins.items():
        blog = getattr(plugin, "blog", None)
        if name.split(" #")[0] == "material/blog" and blog is not None and not isinstance(blog.posts, PostList):
            blog.posts = PostList(blog.posts)
            swapped += 1
    return swapped
