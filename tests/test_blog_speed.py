"""clinic_site/engines/mkdocs/blog_speed.py (the MkDocs adapter's): Material's blog plugin asks `page in posts`
with identity, not Page.__eq__."""
from __future__ import annotations

import inspect
import types

from material.plugins.blog.plugin import BlogPlugin

from clinic_site.engines.mkdocs import blog_speed, plugin


class AlwaysEqual:
    """Like two mkdocs Pages with the same title: == says True though they are different pages."""

    def __init__(self) -> None:
        self.compared = 0

    def __eq__(self, other) -> bool:
        self.compared += 1
        return True

    __hash__ = object.__hash__


def test_post_list_answers_by_identity_without_comparing_pages():
    posts = [AlwaysEqual() for _ in range(3)]
    fast = blog_speed.PostList(posts)
    stranger = AlwaysEqual()
    assert stranger in posts  # what a plain list says, via __eq__
    assert posts[0].compared == 1
    assert posts[1] in fast and stranger not in fast
    assert [post.compared for post in posts] == [1, 0, 0] and stranger.compared == 0
    assert list(fast) == posts


def test_post_list_follows_changes_to_its_length():
    fast = blog_speed.PostList([AlwaysEqual()])
    late = AlwaysEqual()
    fast.append(late)
    assert late in fast
    del fast[-1]
    assert late not in fast


class FakeBlog:
    def __init__(self, posts):
        self.posts = posts


class FakePlugin:
    def __init__(self, posts):
        self.blog = FakeBlog(posts)


def test_every_blog_instance_gets_the_fast_list_once():
    posts_a, posts_b = [AlwaysEqual()], [AlwaysEqual(), AlwaysEqual()]
    plugins = {"material/blog": FakePlugin(posts_a), "material/blog #2": FakePlugin(posts_b),
               "material/search": object()}
    assert blog_speed.use_identity_lookup(plugins) == 2
    assert isinstance(plugins["material/blog"].blog.posts, blog_speed.PostList)
    assert list(plugins["material/blog #2"].blog.posts) == posts_b
    assert blog_speed.use_identity_lookup(plugins) == 0  # already swapped: left alone


def test_material_still_asks_page_in_posts_where_the_fix_applies():
    # If Material stops asking `page not in self.blog.posts`, this fix may no longer be needed
    # (or may need to move): this test says so when Material is upgraded.
    source = inspect.getsource(BlogPlugin)
    assert source.count("page not in self.blog.posts") == 2
    assert "self.blog.posts = sorted(" in source  # set once, in on_files, before our on_nav hook


def test_the_adapter_applies_the_fix_after_the_blog_plugins_own_on_nav():
    # The blog plugin gives posts back to the site in its on_nav; the adapter's on_nav runs after
    # it (lower priority runs later) and swaps every blog instance's list.
    assert plugin.on_nav.mkdocs_priority < getattr(BlogPlugin.on_nav, "mkdocs_priority", 0)
    posts = [AlwaysEqual()]
    config = types.SimpleNamespace(plugins={"material/blog": FakePlugin(posts)})
    nav = object()
    assert plugin.on_nav(nav, config, None) is nav
    assert isinstance(config.plugins["material/blog"].blog.posts, blog_speed.PostList)
    assert list(config.plugins["material/blog"].blog.posts) == posts
