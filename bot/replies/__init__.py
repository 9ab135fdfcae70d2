"""What the assistant says back: policy answers, numbered menus, clarifications."""
